package dev.vrrp.packet;

import static dev.vrrp.packet.RandomPackets.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vrrp.lab.ExternalTools;
import dev.vrrp.testing.PcapWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our encoded packets, as Wireshark's VRRP dissector (tshark) sees them: fields right, checksum
 * Good.
 */
@Tag("integration")
class WiresharkAcceptanceTest {
  private static final IpContext V4 = IpContext.outgoing(parse("192.0.2.1"), parse("224.0.0.18"));
  private static final IpContext V4_UNICAST =
      IpContext.outgoing(parse("192.0.2.1"), parse("192.0.2.2"));
  private static final IpContext V6 = IpContext.outgoing(parse("fe80::1"), parse("ff02::12"));
  private static final String GOOD = "1";

  @TempDir Path dir;

  @Test
  void pseudoHeaderChecksumsAndV2PacketsAreGood() throws Exception {
    List<byte[]> packets = new ArrayList<>();
    packets.add(
        ip(
            V4,
            Advertisement.v2(
                51, 150, 1, List.of(parse("192.0.2.100"), parse("192.0.2.101")), "1111"),
            V3Checksum.PSEUDO_HEADER));
    packets.add(
        ip(
            V4,
            Advertisement.v2(52, 100, 3, List.of(parse("192.0.2.102")), null),
            V3Checksum.PSEUDO_HEADER));
    packets.add(
        ip(
            V4,
            Advertisement.v3(53, 200, 100, List.of(parse("192.0.2.110"))),
            V3Checksum.PSEUDO_HEADER));
    packets.add(
        ip(
            V4_UNICAST,
            Advertisement.v3(54, 0, 10, List.of(parse("192.0.2.111"), parse("192.0.2.112"))),
            V3Checksum.PSEUDO_HEADER));
    packets.add(
        ip(
            V6,
            Advertisement.v3(
                55, 254, 4095, List.of(parse("2001:db8::100"), parse("2001:db8::101"))),
            V3Checksum.PSEUDO_HEADER));

    List<String> rows = tshark(packets, false);

    // version,type,vrid,priority,count,checksum status (1 = Good),auth
    // type,password,interval,addresses
    assertThat(rows)
        .containsExactly(
            "2,1,51,150,2,1,1,1111,1,192.0.2.100;192.0.2.101",
            "2,1,52,100,1,1,0,,3,192.0.2.102",
            "3,1,53,200,1,1,,,100,192.0.2.110",
            "3,1,54,0,2,1,,,10,192.0.2.111;192.0.2.112",
            "3,1,55,254,2,1,,,4095,2001:db8::100;2001:db8::101");
  }

  @Test
  void checksumAsV2IsGoodWhenWiresharkIsToldSo() throws Exception {
    List<byte[]> packets =
        List.of(
            ip(V4, Advertisement.v3(60, 150, 100, List.of(parse("192.0.2.120"))), V3Checksum.AS_V2),
            ip(
                V4_UNICAST,
                Advertisement.v3(61, 150, 25, List.of(parse("192.0.2.121"))),
                V3Checksum.AS_V2));
    assertThat(tshark(packets, true)).extracting(row -> row.split(",")[5]).containsOnly(GOOD);
    assertThat(tshark(packets, false))
        .extracting(row -> row.split(",")[5])
        .as("the same packets fail the RFC check, so the test can tell the styles apart")
        .doesNotContain(GOOD);
  }

  private static byte[] ip(IpContext ip, Advertisement adv, V3Checksum style) {
    return IpDatagram.build(
        ip, AdvertisementCodec.IP_PROTOCOL_VRRP, AdvertisementCodec.encode(adv, ip, style), 1);
  }

  private List<String> tshark(List<byte[]> packets, boolean checksumAsV2)
      throws IOException, InterruptedException {
    String tshark = ExternalTools.require("tshark");
    Path pcap = dir.resolve("ours-" + checksumAsV2 + ".pcap");
    PcapWriter.write(pcap, packets);
    Process process =
        new ProcessBuilder(
                tshark,
                "-r",
                pcap.toString(),
                "-o",
                "vrrp.v3_checksum_as_in_v2:" + (checksumAsV2 ? "TRUE" : "FALSE"),
                "-T",
                "fields",
                "-E",
                "separator=,",
                "-E",
                "aggregator=;",
                "-e",
                "vrrp.version",
                "-e",
                "vrrp.type",
                "-e",
                "vrrp.virt_rtr_id",
                "-e",
                "vrrp.prio",
                "-e",
                "vrrp.addr_count",
                "-e",
                "vrrp.checksum.status",
                "-e",
                "vrrp.auth_type",
                "-e",
                "vrrp.auth_string",
                "-e",
                "vrrp.adver_int",
                "-e",
                "vrrp.short_adver_int",
                "-e",
                "vrrp.ip_addr",
                "-e",
                "vrrp.ipv6_addr")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("tshark exit code").isZero();
    return output.lines().map(WiresharkAcceptanceTest::normalize).toList();
  }

  /** Folds the v2/v3 interval columns and the v4/v6 address columns into one of each. */
  private static String normalize(String row) {
    String[] f = row.split(",", -1);
    String interval = f[8].isEmpty() ? f[9] : f[8];
    String addresses = f[10].isEmpty() ? f[11] : f[10];
    return String.join(",", f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], interval, addresses);
  }
}
