package org.pneumo.data;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG, PNG and uncompressed DICOM X-rays (1 or 3 channels, 8 or 16 bits) into the network's uint8 tensor layout, reading raster
 * samples directly so that one-channel images keep their true gray levels, and refusing images whose declared size is
 * too large before any pixel is decoded. Thread-safe.
 */
public final class ImageDecoder {
    /** Default refusal limit: 100 megapixels, ten times the largest X-ray in the Kaggle originals. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    private final InputSpec spec;
    private final long maxPixels;

    public ImageDecoder(InputSpec spec) {
        this(spec, DEFAULT_MAX_PIXELS);
    }

    public ImageDecoder(InputSpec spec, long maxPixels) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("max pixels " + maxPixels + " must be at least 1");
        }
        this.spec = spec;
        this.maxPixels = maxPixels;
    }

    public InputSpec spec() {
        return spec;
    }

    /** Decodes a file into channels x size x size uint8 values (row-major, channel planes first). */
    public byte[] decode(Path file) throws IOException {
        if (Files.size(file) == 0) {
            throw new ImageDecodeException("empty file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return decode(in);
        }
    }

    /** Decodes encoded image bytes, as {@link #decode(Path)}. */
    public byte[] decode(byte[] encoded) throws IOException {
        if (encoded.length == 0) {
            throw new ImageDecodeException("empty file");
        }
        return decode(new ByteArrayInputStream(encoded));
    }

    private byte[] decode(InputStream in) throws IOException {
        return toTensor(read(in));
    }

    /** Converts an already decoded image, as {@link #decode(Path)}. */
    public byte[] decode(BufferedImage image) {
        return toTensor(image);
    }

    /** Reads an image file (with the size check) without converting it, e.g. to show it beside a result. */
    public BufferedImage read(Path file) throws IOException {
        if (Files.size(file) == 0) {
            throw new ImageDecodeException("empty file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    /** Reads encoded image bytes (with the size check) without converting them. */
    public BufferedImage read(byte[] encoded) throws IOException {
        if (encoded.length == 0) {
            throw new ImageDecodeException("empty file");
        }
        return read(new ByteArrayInputStream(encoded));
    }

    /**
     * A gray copy of {@code image} for display, keeping its aspect ratio, with its longer side {@code maxSide} pixels
     * (never enlarged), converted like the network's input.
     */
    public static BufferedImage grayPreview(BufferedImage image, int maxSide) {
        float[][] planes = planes(image);
        float[] gray = planes.length == 1 ? planes[0] : luminance(planes);
        int w = image.getWidth();
        int h = image.getHeight();
        double scale = Math.min(1.0, (double) maxSide / Math.max(w, h));
        int tw = Math.max(1, (int) Math.round(w * scale));
        int th = Math.max(1, (int) Math.round(h * scale));
        float[] resized = Resampler.resize(gray, w, h, tw, th);
        BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((java.awt.image.DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < data.length; i++) {
            data[i] = toByte(resized[i]);
        }
        return out;
    }

    private BufferedImage read(InputStream raw) throws IOException {
        java.io.BufferedInputStream in = new java.io.BufferedInputStream(raw, 1 << 16);
        in.mark(256);
        byte[] head = in.readNBytes(132);
        in.reset();
        if (DicomReader.isDicom(head)) {
            return DicomReader.read(in.readAllBytes(), maxPixels);
        }
        // A memory cache, not ImageIO's default temporary file: patient images must never touch the disk.
        try (ImageInputStream stream = new javax.imageio.stream.MemoryCacheImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new ImageDecodeException("not a JPEG, PNG or DICOM image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width < 1 || height < 1) {
                    throw new ImageDecodeException("image declares no pixels (" + width + "x" + height + ")");
                }
                if (width * height > maxPixels) {
                    throw new ImageDecodeException("image declares " + width + "x" + height
                            + " pixels, more than the limit of " + maxPixels + "; refused before decoding");
                }
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw new ImageDecodeException("image could not be decoded");
                }
                return image;
            } catch (ImageDecodeException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new ImageDecodeException("corrupt or unsupported image: " + e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        }
    }

    private byte[] toTensor(BufferedImage image) {
        float[][] planes = planes(image);
        int w = image.getWidth();
        int h = image.getHeight();
        int size = spec.imageSize();
        float[][] resized = new float[planes.length][];
        for (int c = 0; c < planes.length; c++) {
            resized[c] = Resampler.resize(planes[c], w, h, size, size);
        }
        int plane = size * size;
        byte[] out = new byte[spec.channels() * plane];
        if (spec.channels() == 1) {
            float[] gray = resized.length == 1 ? resized[0] : luminance(resized);
            for (int i = 0; i < plane; i++) {
                out[i] = toByte(gray[i]);
            }
        } else {
            for (int c = 0; c < 3; c++) {
                float[] src = resized.length == 1 ? resized[0] : resized[c];
                for (int i = 0; i < plane; i++) {
                    out[c * plane + i] = toByte(src[i]);
                }
            }
        }
        return out;
    }

    private static float[] luminance(float[][] rgb) {
        float[] out = new float[rgb[0].length];
        for (int i = 0; i < out.length; i++) {
            out[i] = 0.299f * rgb[0][i] + 0.587f * rgb[1][i] + 0.114f * rgb[2][i];
        }
        return out;
    }

    private static byte toByte(float v) {
        int i = Math.round(v);
        return (byte) (i < 0 ? 0 : Math.min(i, 255));
    }

    /**
     * The image as 1 (gray) or 3 (RGB) planes of values in [0, 255]. Gray and plain RGB rasters are read as raw samples
     * (no colour-space conversion, which would brighten gray JPEGs); 16-bit samples are scaled by 255/65535. Anything
     * else (palettes, unusual colour models) goes through the sRGB conversion.
     */
    static float[][] planes(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        int type = raster.getDataBuffer().getDataType();
        boolean component = image.getColorModel() instanceof ComponentColorModel;
        boolean rawOk = component && (type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT);
        if (rawOk && (bands == 1 || bands == 2 || bands == 3 || bands == 4)) {
            float scale = type == DataBuffer.TYPE_USHORT ? 255f / 65535f : 1f;
            int colourBands = bands <= 2 ? 1 : 3; // a second or fourth band is alpha
            float[][] planes = new float[colourBands][];
            for (int b = 0; b < colourBands; b++) {
                float[] samples = raster.getSamples(0, 0, w, h, b, (float[]) null);
                if (scale != 1f) {
                    for (int i = 0; i < samples.length; i++) {
                        samples[i] *= scale;
                    }
                }
                planes[b] = samples;
            }
            return planes;
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        float[][] planes = new float[3][w * h];
        for (int i = 0; i < argb.length; i++) {
            planes[0][i] = (argb[i] >> 16) & 0xff;
            planes[1][i] = (argb[i] >> 8) & 0xff;
            planes[2][i] = argb[i] & 0xff;
        }
        return planes;
    }
}
