package org.pneumo.model;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;

/**
 * The trained model that ships inside the library (resource folder {@code pneumo-model/} of the core jar), so any
 * program built on it (the command line, the server, a batch job) has a model without a download. It is read in
 * place, from the jar or the classes folder, never unpacked to disk.
 */
public final class ShippedModel {
    /** Where the model's {@code model.json} lies on the class path. */
    public static final String RESOURCE = "/pneumo-model/model.json";

    private ShippedModel() {}

    /** The shipped model folder, as a path inside the jar (or the classes folder in a development build). */
    public static synchronized Path folder() throws ModelLoadException {
        URL url = ShippedModel.class.getResource(RESOURCE);
        if (url == null) {
            throw new ModelLoadException("this build has no shipped model (" + RESOURCE + "); load a model folder instead");
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
