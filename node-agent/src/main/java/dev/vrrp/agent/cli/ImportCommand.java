package dev.vrrp.agent.cli;

import dev.vrrp.agent.keepalived.FileSources;
import dev.vrrp.agent.keepalived.ImportResult;
import dev.vrrp.agent.keepalived.Importer;
import dev.vrrp.agent.keepalived.Importer.Target;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code node-agent import FILE --to standalone|virtualip}: keepalived.conf converted. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Convert a keepalived.conf: the standalone config or VirtualIP manifests on stdout, one line"
          + " per keyword that did not convert (or converted with a difference) on stderr.",
      "Exit status: 0 everything that matters for VRRP converted, 1 something did not, 2 the file"
          + " cannot be read or parsed."
    })
final class ImportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "the keepalived.conf")
  Path file;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "standalone|virtualip",
      converter = TargetConverter.class,
      description =
          "standalone: the config of node-agent run --config; virtualip: VirtualIP manifests")
  Target to;

  @Option(
      names = "--secret-namespace",
      defaultValue = Importer.DEFAULT_SECRET_NAMESPACE,
      description =
          "--to virtualip: the namespace of the password Secrets, the chart's (default ${DEFAULT-VALUE})")
  String secretNamespace;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ImportResult result = Importer.run(file, to, secretNamespace, new FileSources());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    out.print(result.stdout());
    out.flush();
    result.stderr().forEach(err::println);
    err.flush();
    return result.exitCode();
  }

  static final class TargetConverter implements CommandLine.ITypeConverter<Target> {
    @Override
    public Target convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "standalone" -> Target.STANDALONE;
        case "virtualip" -> Target.VIRTUALIP;
        default ->
            throw new CommandLine.TypeConversionException(
                "must be standalone or virtualip, got '" + value + "'");
      };
    }
  }
}
