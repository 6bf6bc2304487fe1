package dev.vrrp.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * An OCI image tarball ({@code oci-archive}: an OCI layout as a tar) read without any tool: its
 * index, manifests and configs, and the entries of a layer. Opening it checks every blob against
 * its digest.
 */
final class OciArchive {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SMALL = 1 << 20;

  /** One tar entry: type '0' file, '5' directory, '2' symlink, '1' hard link, ... */
  record Entry(
      String name, char type, int mode, long uid, long gid, long size, long mtime, String link) {}

  /** Sees each entry with its content (a stream that ends with the entry). */
  interface Visitor {
    void visit(Entry entry, InputStream content) throws IOException;
  }

  private final Path path;
  private final Map<String, byte[]> small = new HashMap<>();

  private OciArchive(Path path) {
    this.path = path;
  }

  static OciArchive open(Path path) {
    OciArchive archive = new OciArchive(path);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
      read(
          in,
          (entry, content) -> {
            if (entry.type() != '0') {
              return;
            }
            MessageDigest sha256 = sha256();
            byte[] keep = entry.size() <= SMALL ? new byte[(int) entry.size()] : null;
            byte[] buffer = new byte[65536];
            int offset = 0;
            for (int n; (n = content.read(buffer)) > 0; ) {
              sha256.update(buffer, 0, n);
              if (keep != null) {
                System.arraycopy(buffer, 0, keep, offset, n);
              }
              offset += n;
            }
            String name = entry.name().replaceFirst("^\\./", "");
            if (name.startsWith("blobs/sha256/")) {
              String digest = HexFormat.of().formatHex(sha256.digest());
              if (!name.equals("blobs/sha256/" + digest)) {
                throw new AssertionError(path + ": " + name + " has the digest sha256:" + digest);
              }
            }
            if (keep != null) {
              archive.small.put(name, keep);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return archive;
  }

  JsonNode index() {
    return json("index.json");
  }

  /** The manifest the index names {@code tag} (org.opencontainers.image.ref.name). */
  JsonNode manifest(String tag) {
    for (JsonNode m : index().path("manifests")) {
      if (tag.equals(m.at("/annotations/org.opencontainers.image.ref.name").asText())) {
        return blob(m.path("digest").asText());
      }
    }
    throw new AssertionError(path + ": no manifest tagged " + tag + " in " + index());
  }

  JsonNode config(String tag) {
    return blob(manifest(tag).at("/config/digest").asText());
  }

  /** The layer digests of {@code tag}, base first. */
  List<String> layers(String tag) {
    return manifest(tag).path("layers").findValuesAsText("digest");
  }

  /** Reads the (gzip) layer {@code digest} entry by entry. */
  void layer(String digest, Visitor visitor) {
    String name = "blobs/sha256/" + digest.substring("sha256:".length());
    boolean[] found = {false};
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
      read(
          in,
          (entry, content) -> {
            if (entry.name().replaceFirst("^\\./", "").equals(name)) {
              found[0] = true;
              read(new GZIPInputStream(content, 65536), visitor);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!found[0]) {
      throw new AssertionError(path + ": no blob " + digest);
    }
  }

  private JsonNode blob(String digest) {
    return json("blobs/sha256/" + digest.substring("sha256:".length()));
  }

  private JsonNode json(String name) {
    byte[] bytes = small.get(name);
    if (bytes == null) {
      throw new AssertionError(path + ": no " + name);
    }
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(Path file) {
    MessageDigest sha256 = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[65536];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha256.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "sha256:" + HexFormat.of().formatHex(sha256.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- tar (ustar, with the pax and GNU long-name extensions) ---------------------------------

  static void read(InputStream in, Visitor visitor) throws IOException {
    byte[] header = new byte[512];
    Map<String, String> pax = new HashMap<>();
    String longName = null;
    String longLink = null;
    while (true) {
      if (in.readNBytes(header, 0, 512) < 512) {
        throw new IOException("truncated tar");
      }
      if (allZero(header)) {
        return;
      }
      char type = header[156] == 0 ? '0' : (char) header[156];
      long size = number(header, 124, 12);
      String magic = new String(header, 257, 6, StandardCharsets.US_ASCII);
      String name = text(header, 0, 100);
      if (magic.equals("ustar\0")) {
        String prefix = text(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
      }
      Bounded content = new Bounded(in, size);
      switch (type) {
        case 'x' -> pax.putAll(paxRecords(content.readAllBytes()));
        case 'g' -> content.readAllBytes();
        case 'L' -> longName = text(content.readAllBytes(), 0, (int) size);
        case 'K' -> longLink = text(content.readAllBytes(), 0, (int) size);
        default -> {
          if (longName != null) {
            name = longName;
          }
          String link = longLink != null ? longLink : text(header, 157, 100);
          name = pax.getOrDefault("path", name);
          link = pax.getOrDefault("linkpath", link);
          long mtime =
              pax.containsKey("mtime")
                  ? (long) Double.parseDouble(pax.get("mtime"))
                  : number(header, 136, 12);
          long uid =
              pax.containsKey("uid") ? Long.parseLong(pax.get("uid")) : number(header, 108, 8);
          long gid =
              pax.containsKey("gid") ? Long.parseLong(pax.get("gid")) : number(header, 116, 8);
          if (pax.containsKey("size")) {
            size = Long.parseLong(pax.get("size"));
            content = new Bounded(in, size);
          }
          Entry entry =
              new Entry(name, type, (int) number(header, 100, 8), uid, gid, size, mtime, link);
          visitor.visit(entry, content);
          pax.clear();
          longName = null;
          longLink = null;
        }
      }
      content.skipRest();
      in.skipNBytes((512 - size % 512) % 512);
    }
  }

  private static Map<String, String> paxRecords(byte[] bytes) {
    Map<String, String> records = new HashMap<>();
    int i = 0;
    while (i < bytes.length) {
      int space = i;
      while (bytes[space] != ' ') {
        space++;
      }
      int length = Integer.parseInt(new String(bytes, i, space - i, StandardCharsets.US_ASCII));
      String record = new String(bytes, space + 1, i + length - space - 2, StandardCharsets.UTF_8);
      int equals = record.indexOf('=');
      records.put(record.substring(0, equals), record.substring(equals + 1));
      i += length;
    }
    return records;
  }

  private static boolean allZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] bytes, int offset, int length) {
    int end = offset;
    while (end < offset + length && end < bytes.length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
  }

  /** An octal field, or a base-256 one (high bit set) for large values. */
  private static long number(byte[] header, int offset, int length) {
    if ((header[offset] & 0x80) != 0) {
      long value = header[offset] & 0x7f;
      for (int i = 1; i < length; i++) {
        value = (value << 8) | (header[offset + i] & 0xff);
      }
      return value;
    }
    String octal = text(header, offset, length).strip();
    return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
  }

  /** The content of one entry: ends where the entry does. */
  private static final class Bounded extends InputStream {
    private final InputStream in;
    private long remaining;

    Bounded(InputStream in, long size) {
      this.in = in;
      this.remaining = size;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b < 0) {
        throw new IOException("truncated tar");
      }
      remaining--;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(length, remaining));
      if (n < 0) {
        throw new IOException("truncated tar");
      }
      remaining -= n;
      return n;
    }

    @Override
    public void close() {
      // the tar stream goes on
    }

    void skipRest() throws IOException {
      while (remaining > 0) {
        long n = in.skip(remaining);
        if (n <= 0) {
          if (in.read() < 0) {
            throw new IOException("truncated tar");
          }
          n = 1;
        }
        remaining -= n;
      }
    }
  }
}
