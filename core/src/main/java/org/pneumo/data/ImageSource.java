package org.pneumo.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One image to predict and the name its result is reported under: a file, or encoded bytes with any name (a URI such
 * as {@code s3a://bucket/x.jpeg} is a name, not a {@link Path}). Decoding happens only when a decoder asks, so a long
 * list of sources holds no pixels.
 */
public interface ImageSource {
    /** The name the result is reported under. */
    String name();

    /** Decodes this image into {@code decoder}'s tensor layout. */
    byte[] decode(ImageDecoder decoder) throws IOException;

    /** An image file, named by its path. */
    static ImageSource of(Path file) {
        return new ImageSource() {
            @Override
            public String name() {
                return file.toString();
            }

            @Override
            public byte[] decode(ImageDecoder decoder) throws IOException {
                return decoder.decode(file);
            }
        };
    }

    /** Encoded image bytes (JPEG, PNG or DICOM) under {@code name}. */
    static ImageSource of(String name, byte[] encoded) {
        return new ImageSource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public byte[] decode(ImageDecoder decoder) throws IOException {
                return decoder.decode(encoded);
            }
        };
    }
}
