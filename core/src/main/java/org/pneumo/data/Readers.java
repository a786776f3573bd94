package org.pneumo.data;

import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;

/**
 * Picks ImageIO readers on purpose rather than whichever plug-in registered first: the JDK's own JPEG and PNG readers
 * for ordinary files, TwelveMonkeys' JPEG reader only for DICOM JPEG lossless frames, JAI's for JPEG 2000 frames;
 * and the JDK's JPEG writer.
 */
final class Readers {
    private Readers() {}

    /** The reader for {@code format} whose class name starts with {@code vendorPrefix}, else the first one. */
    static ImageReader of(String format, String vendorPrefix) throws ImageDecodeException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        ImageReader first = null;
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            if (r.getClass().getName().startsWith(vendorPrefix)) {
                if (first != null) {
                    first.dispose();
                }
                return r;
            }
            if (first == null) {
                first = r;
            } else {
                r.dispose();
            }
        }
        if (first == null) {
            throw new ImageDecodeException("no " + format + " reader in this Java runtime");
        }
        return first;
    }

    /** The JDK's own JPEG writer (for the decoder's JPEG round trip of resized images). */
    static ImageWriter jdkJpegWriter() throws ImageDecodeException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter chosen = null;
        while (writers.hasNext()) {
            ImageWriter w = writers.next();
            if (chosen == null && w.getClass().getName().startsWith("com.sun.imageio.")) {
                chosen = w;
            } else {
                w.dispose();
            }
        }
        if (chosen == null) {
            throw new ImageDecodeException("no JPEG writer in this Java runtime");
        }
        return chosen;
    }

    /** The JDK's reader for {@code format} (jpeg, png). */
    static ImageReader jdk(String format) throws ImageDecodeException {
        return of(format, "com.sun.imageio.");
    }
}
