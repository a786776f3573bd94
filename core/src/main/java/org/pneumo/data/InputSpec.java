package org.pneumo.data;

/**
 * The tensor the network sees: a square image of {@code imageSize} pixels a side with {@code channels} channels (1 =
 * gray, 3 = gray repeated as RGB), pixels scaled to [0, 1].
 */
public record InputSpec(int imageSize, int channels) {
    /** Smallest side the networks accept (the seed network needs two 3x3 convolutions and two poolings). */
    public static final int MIN_SIZE = 16;
    /** Largest side accepted, well above any sensible input for these networks. */
    public static final int MAX_SIZE = 1024;

    public InputSpec {
        if (imageSize < MIN_SIZE || imageSize > MAX_SIZE) {
            throw new IllegalArgumentException(
                    "image size " + imageSize + " is outside [" + MIN_SIZE + ", " + MAX_SIZE + "]");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels " + channels + " is not 1 or 3");
        }
    }

    /** Bytes of one image at this spec (channels x size x size, uint8). */
    public int pixelCount() {
        return channels * imageSize * imageSize;
    }
}
