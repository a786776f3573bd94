package org.pneumo.data;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Decodes JPEG, PNG and DICOM X-rays (1 or 3 channels, 8 or 16 bits) into the network's uint8 tensor layout, reading
 * raster samples directly so that one-channel images keep their true gray levels. What it refuses, and why:
 * <ul>
 *   <li>anything that is not JPEG, PNG or DICOM by its first bytes (GIF, BMP, TIFF, WebP... are named);</li>
 *   <li>a declared size above the pixel limit, before any pixel is decoded;</li>
 *   <li>images that are incomplete: a JPEG without its end marker or with a decoder warning (premature end, corrupt
 *       data), a PNG without its IEND chunk or with damaged data;</li>
 *   <li>degenerate images: shorter side under {@link #minSide()} pixels, more elongated than
 *       {@value #MAX_ASPECT}:1, or blank (every pixel within {@value #BLANK_RANGE} gray levels of the others);</li>
 *   <li>strongly coloured images (more than a quarter of the pixels with colour channels {@value #COLOUR_CHROMA}
 *       or more levels apart): an X-ray is gray, so this is a photo, a chart or a coloured picture.</li>
 * </ul>
 * Large images are read at reduced resolution (every n-th pixel, ImageIO's source subsampling) so that at most
 * {@code (4 x input size)^2} pixels are held before the resize: memory per image follows the network input, not the
 * file. An image larger than the Kaggle training copies ({@value #COPY_SIZE} pixels a side) is first made into one,
 * as they were made (tent filter, JPEG at quality 75), then resized to the input size like a copy; images up to that
 * size are only resized, and an image at the input size is used exactly as it is. Encoded bytes of decodes running
 * at once share a budget of {@value #DECODE_BUDGET_MB} MB. JPEG
 * EXIF orientation is applied. Thread-safe.
 */
public final class ImageDecoder {
    /** Default refusal limit: 100 megapixels, ten times the largest X-ray in the Kaggle originals. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
    /** Largest file read: {@value} MB (an uncompressed 16-bit DICOM at the pixel limit is 200 MB). */
    public static final int MAX_FILE_MB = 256;
    /** Encoded bytes of all decodes running at once, in MB; a decode waits for room. */
    public static final int DECODE_BUDGET_MB = 384;
    /** Longer side over shorter side above which an image is refused. */
    public static final int MAX_ASPECT = 4;
    /** Largest spread of gray levels (of 255) that still counts as a blank image. */
    public static final int BLANK_RANGE = 2;
    /** Colour channels this many levels apart (of 255) or more make a pixel coloured. */
    public static final int COLOUR_CHROMA = 48;
    /** Share of coloured pixels above which an image is refused as not an X-ray. */
    public static final double COLOUR_SHARE = 0.25;
    /** The decoded image holds at most (this x input size)^2 pixels before the final resize. */
    static final int OVERSAMPLING = 4;
    /** The side of the Kaggle training copies: a larger image is first made into such a copy. */
    static final int COPY_SIZE = 224;
    /** JPEG quality of the training copies, on ImageIO's scale (0.75 gives the IJG tables at quality 75). */
    static final float COPY_JPEG_QUALITY = 0.75f;

    private static final java.util.concurrent.Semaphore BUDGET = new java.util.concurrent.Semaphore(DECODE_BUDGET_MB);

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

    /** Smallest shorter side accepted: the network's input size, or 128 pixels when the input is larger. */
    public int minSide() {
        return Math.min(128, spec.imageSize());
    }

    /** Decodes a file into channels x size x size uint8 values (row-major, channel planes first). */
    public byte[] decode(Path file) throws IOException {
        return toTensor(read(file));
    }

    /** Decodes encoded image bytes, as {@link #decode(Path)}. */
    public byte[] decode(byte[] encoded) throws IOException {
        return toTensor(read(encoded));
    }

    /** Converts an already decoded image, as {@link #decode(Path)} (no checks: the caller chose the image). */
    public byte[] decode(BufferedImage image) {
        return toTensor(image);
    }

    /**
     * Reads an image file with every check, at reduced resolution when it is large, without converting it (e.g. to
     * show it beside a result).
     */
    public BufferedImage read(Path file) throws IOException {
        long size = Files.size(file);
        if (size == 0) {
            throw new ImageDecodeException("empty file");
        }
        if (size > (long) MAX_FILE_MB << 20) {
            throw new ImageDecodeException("file is " + (size >> 20) + " MB, more than the limit of " + MAX_FILE_MB
                    + " MB");
        }
        int permits = budgetPermits(size);
        BUDGET.acquireUninterruptibly(permits);
        try {
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) size);
            }
            return read(bytes, bytes.length);
        } finally {
            BUDGET.release(permits);
        }
    }

    /** Reads encoded image bytes, as {@link #read(Path)}. */
    public BufferedImage read(byte[] encoded) throws IOException {
        if (encoded.length == 0) {
            throw new ImageDecodeException("empty file");
        }
        int permits = budgetPermits(encoded.length);
        BUDGET.acquireUninterruptibly(permits);
        try {
            return read(encoded, encoded.length);
        } finally {
            BUDGET.release(permits);
        }
    }

    private static int budgetPermits(long bytes) {
        return (int) Math.min(DECODE_BUDGET_MB, Math.max(1, (bytes + (1 << 20) - 1) >> 20));
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

    /** The subsampling step that keeps a {@code width x height} image within the decode budget. */
    int subsampling(long width, long height) {
        long budget = (long) OVERSAMPLING * spec.imageSize();
        double ratio = Math.sqrt((double) width * height / ((double) budget * budget));
        return (int) Math.max(1, Math.ceil(ratio - 1e-9));
    }

    /** Checks declared dimensions: positive, under the pixel limit, not tiny, not too elongated. */
    void checkGeometry(long width, long height) throws ImageDecodeException {
        if (width < 1 || height < 1) {
            throw new ImageDecodeException("image declares no pixels (" + width + "x" + height + ")");
        }
        if (width * height > maxPixels) {
            throw new ImageDecodeException("image declares " + width + "x" + height
                    + " pixels, more than the limit of " + maxPixels + "; refused before decoding");
        }
        if (Math.min(width, height) < minSide()) {
            throw new ImageDecodeException("image is " + width + "x" + height + " pixels; images under " + minSide()
                    + " pixels a side are refused (too small to be an X-ray for this model)");
        }
        if (Math.max(width, height) > (long) MAX_ASPECT * Math.min(width, height)) {
            throw new ImageDecodeException("image is " + width + "x" + height + " pixels; images more elongated than "
                    + MAX_ASPECT + ":1 are refused (not a chest X-ray)");
        }
    }

    private BufferedImage read(byte[] bytes, int length) throws IOException {
        byte[] head = java.util.Arrays.copyOf(bytes, Math.min(length, ImageFormat.HEAD_BYTES));
        ImageFormat format = ImageFormat.of(head);
        BufferedImage image;
        try {
            image = switch (format) {
                case DICOM -> DicomReader.read(bytes, length, this);
                case JPEG, PNG -> readImageIo(format, bytes, length);
            };
        } catch (OutOfMemoryError e) {
            // Should not happen with subsampled reads; if it does, this file is refused and the process goes on.
            throw new ImageDecodeException("image needs more memory than is available to decode it");
        }
        checkNotBlank(image);
        checkNotColoured(image);
        return image;
    }

    private BufferedImage readImageIo(ImageFormat format, byte[] bytes, int length) throws IOException {
        if (format == ImageFormat.JPEG && !endsWithMarker(bytes, length)) {
            throw new ImageDecodeException("incomplete JPEG: no end-of-image marker (truncated file?)");
        }
        if (format == ImageFormat.PNG && !hasIend(bytes, length)) {
            throw new ImageDecodeException("incomplete PNG: no IEND chunk (truncated file?)");
        }
        ImageReader reader = Readers.jdk(format.label());
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream stream = new ByteImageInputStream(bytes, 0, length)) {
            reader.setInput(stream, true, true);
            reader.addIIOReadWarningListener((source, warning) -> {
                if (!warning.contains("ICC")) { // an unusable colour profile is ignored, not a damaged image
                    warnings.add(warning);
                }
            });
            long width = reader.getWidth(0);
            long height = reader.getHeight(0);
            checkGeometry(width, height);
            int step = subsampling(width, height);
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(step, step, 0, 0);
            BufferedImage image = reader.read(0, param);
            if (image == null) {
                throw new ImageDecodeException("image could not be decoded");
            }
            if (!warnings.isEmpty()) {
                throw new ImageDecodeException("damaged " + format.name() + ": " + warnings.get(0));
            }
            return format == ImageFormat.JPEG ? ExifOrientation.apply(image, ExifOrientation.of(bytes, length))
                    : image;
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException("corrupt or unsupported " + format.name() + ": " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    /** Whether a JPEG's last bytes (after any zero padding) are its EOI marker. */
    private static boolean endsWithMarker(byte[] b, int length) {
        int end = length;
        while (end > 2 && b[end - 1] == 0) {
            end--;
        }
        return end >= 4 && (b[end - 2] & 0xff) == 0xff && (b[end - 1] & 0xff) == 0xd9;
    }

    /** Whether a PNG ends with its IEND chunk (length 0, type IEND, CRC). */
    private static boolean hasIend(byte[] b, int length) {
        int from = Math.max(8, length - 64);
        for (int i = length - 8; i >= from; i--) {
            if (b[i] == 'I' && b[i + 1] == 'E' && b[i + 2] == 'N' && b[i + 3] == 'D') {
                return true;
            }
        }
        return false;
    }

    /** Refuses an image whose colour samples all lie within {@link #BLANK_RANGE} gray levels. */
    static void checkNotBlank(BufferedImage image) throws ImageDecodeException {
        Raster raster = image.getRaster();
        int bands = raster.getNumBands() == 2 || raster.getNumBands() == 4 ? raster.getNumBands() - 1
                : raster.getNumBands();
        int bits = raster.getSampleModel().getSampleSize(0);
        double scale = 255.0 / ((1L << Math.min(bits, 16)) - 1);
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        int w = image.getWidth();
        int[] row = new int[w];
        for (int b = 0; b < bands; b++) {
            for (int y = 0; y < image.getHeight(); y++) {
                raster.getSamples(0, y, w, 1, b, row);
                for (int v : row) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            if ((hi - lo) * scale > BLANK_RANGE) {
                return;
            }
        }
        throw new ImageDecodeException("image is blank (every pixel has gray level "
                + Math.round(lo * scale) + (hi > lo ? " to " + Math.round(hi * scale) : "") + " of 255)");
    }

    /**
     * Refuses an image of which more than {@link #COLOUR_SHARE} of the pixels (a grid of about 65,000 of them) have
     * colour channels {@link #COLOUR_CHROMA} or more levels apart. Gray images, tinted scans and X-rays with a small
     * coloured annotation pass.
     */
    static void checkNotColoured(BufferedImage image) throws ImageDecodeException {
        Raster raster = image.getRaster();
        if (raster.getNumBands() < 3) {
            return;
        }
        int bits = raster.getSampleModel().getSampleSize(0);
        double scale = 255.0 / ((1L << Math.min(bits, 16)) - 1);
        int w = image.getWidth();
        int h = image.getHeight();
        int step = Math.max(1, (int) Math.sqrt((double) w * h / 65_536));
        int[][] rows = new int[3][w];
        long seen = 0;
        long coloured = 0;
        for (int y = 0; y < h; y += step) {
            for (int b = 0; b < 3; b++) {
                raster.getSamples(0, y, w, 1, b, rows[b]);
            }
            for (int x = 0; x < w; x += step) {
                int r = rows[0][x];
                int g = rows[1][x];
                int bl = rows[2][x];
                int spread = Math.max(r, Math.max(g, bl)) - Math.min(r, Math.min(g, bl));
                if (spread * scale >= COLOUR_CHROMA) {
                    coloured++;
                }
                seen++;
            }
        }
        if (coloured > COLOUR_SHARE * seen) {
            throw new ImageDecodeException(String.format(java.util.Locale.ROOT, "image is strongly coloured (%.0f%% of"
                    + " its pixels): an X-ray is gray; send the radiograph itself, not a photo or a coloured picture",
                    100.0 * coloured / seen));
        }
    }

    private byte[] toTensor(BufferedImage image) {
        float[][] planes = planes(image);
        int w = image.getWidth();
        int h = image.getHeight();
        if (w > COPY_SIZE || h > COPY_SIZE) {
            // Larger than the training copies: make such a copy first, then treat it like one.
            for (int c = 0; c < planes.length; c++) {
                planes[c] = asTrainingCopy(Resampler.resize(planes[c], w, h, COPY_SIZE, COPY_SIZE));
            }
            w = COPY_SIZE;
            h = COPY_SIZE;
        }
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

    /**
     * A {@link #COPY_SIZE}-pixel plane (values 0-255) as the Kaggle training copies hold it: rounded to 8 bits,
     * compressed as JPEG at {@link #COPY_JPEG_QUALITY} and decoded again (their quantisation tables are the IJG
     * tables at quality 75). Each plane of a 3-channel image goes through as a gray JPEG. Measured on
     * full-resolution originals against their own copies (bench/fullres-agreement.sh): without this step the
     * pretrained network's guard called 15 of 200 originals out of scope, with it 2.
     */
    private static float[] asTrainingCopy(float[] plane) {
        int size = COPY_SIZE;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < data.length; i++) {
            data[i] = toByte(plane[i]);
        }
        try {
            ImageWriter writer = Readers.jdkJpegWriter();
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(size * size / 4);
            try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(COPY_JPEG_QUALITY);
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
            byte[] encoded = bytes.toByteArray();
            ImageReader reader = Readers.jdk("jpeg");
            try (ImageInputStream in = new ByteImageInputStream(encoded, 0, encoded.length)) {
                reader.setInput(in, true, true);
                reader.read(0).getRaster().getDataElements(0, 0, size, size, data);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("JPEG round trip of a resized image failed", e);
        }
        float[] out = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[i] & 0xff;
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
