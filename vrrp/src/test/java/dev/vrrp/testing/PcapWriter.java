package dev.vrrp.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes raw IP packets (LINKTYPE_RAW) into a classic pcap file that tshark reads. */
public final class PcapWriter {
  private static final int LINKTYPE_RAW = 101;

  private PcapWriter() {}

  public static void write(Path file, List<byte[]> ipPackets) throws IOException {
    int size = 24 + ipPackets.stream().mapToInt(p -> 16 + p.length).sum();
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(0xa1b2c3d4)
        .putShort((short) 2)
        .putShort((short) 4)
        .putInt(0)
        .putInt(0)
        .putInt(65535)
        .putInt(LINKTYPE_RAW);
    int second = 1;
    for (byte[] packet : ipPackets) {
      out.putInt(second++).putInt(0).putInt(packet.length).putInt(packet.length).put(packet);
    }
    Files.write(file, out.array());
  }
}
