package org.pneumo.data;

import java.io.IOException;
import javax.imageio.stream.ImageInputStreamImpl;

/** An ImageIO stream over bytes already in memory: no second copy (as a memory cache makes) and no temporary file. */
final class ByteImageInputStream extends ImageInputStreamImpl {
    private final byte[] bytes;
    private final int offset;
    private final int length;

    ByteImageInputStream(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        if (streamPos >= length) {
            return -1;
        }
        return bytes[offset + (int) streamPos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= length) {
            return -1;
        }
        int n = (int) Math.min(len, length - streamPos);
        System.arraycopy(bytes, offset + (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return length;
    }
}
