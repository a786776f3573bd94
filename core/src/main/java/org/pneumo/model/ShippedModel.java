package org.pneumo.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;
import org.pneumo.model.ModelLoadException;

/**
 * The trained model that ships inside the app (resource folder {@code pneumo-model/}), used when a command gets no
 * {@code --model}. It is read in place, from the jar or the classes folder, never unpacked to disk.
 */
final class ShippedModel {
    static final String RESOURCE = "/pneumo-model/model.json";

    private ShippedModel() {}

    /** The shipped model folder, as a path inside the jar (or the classes folder in a development build). */
    static synchronized Path folder() throws ModelLoadException {
        URL url = ShippedModel.class.getResource(RESOURCE);
        if (url == null) {
            throw new ModelLoadException("this build has no shipped model (" + RESOURCE + "); give --model DIR");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try {
                    FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    FileSystems.newFileSystem(uri, Map.of());
                }
            }
            return Path.of(uri).getParent();
        } catch (URISyntaxException | IOException e) {
            throw new ModelLoadException("cannot open the shipped model: " + e.getMessage(), e);
        }
    }
}
