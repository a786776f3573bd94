package org.pneumo.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder of labelled X-rays: either one split ({@code NORMAL/}, {@code PNEUMONIA/}) or a Kaggle root with {@code
 * train/}, {@code val/}, {@code test/} splits. Class and split folder names are matched case-insensitively.
 */
public final class ImageFolder {
    /** File extensions read as images. */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpeg", "jpg", "png", "dcm");

    private ImageFolder() {}

    /**
     * The folder to use for a split: {@code root/<split>} when {@code root} is a Kaggle root, else {@code root} itself
     * when it already holds class folders.
     */
    public static Path resolveSplit(Path root, String split) {
        requireDirectory(root);
        Optional<Path> child = childIgnoringCase(root, split);
        if (child.isPresent() && Files.isDirectory(child.get())) {
            return child.get();
        }
        if (hasClassFolder(root)) {
            return root;
        }
        List<String> splits = splitFolders(root);
        throw new DataException("data folder " + root + " has neither a '" + split
                + "' split folder nor NORMAL/PNEUMONIA class folders"
                + (splits.isEmpty() ? "" : "; its split folders: " + String.join(", ", splits)));
    }

    /** The names of the sub-folders of {@code root} that hold NORMAL/ or PNEUMONIA/, sorted. */
    public static List<String> splitFolders(Path root) {
        List<String> names = new ArrayList<>();
        for (Path child : children(root)) {
            if (Files.isDirectory(child) && hasClassFolder(child)) {
                names.add(child.getFileName().toString());
            }
        }
        return names;
    }

    /**
     * Lists the labelled images of one split folder, sorted by path. Files that are not images by extension are
     * passed to {@code policy}.
     *
     * @param requireAllClasses whether a missing or empty class folder is an error (training needs both classes)
     */
    public static List<LabeledImage> list(Path splitFolder, boolean requireAllClasses, BadFilePolicy policy) {
        requireDirectory(splitFolder);
        Map<Diagnosis, Path> classFolders = new EnumMap<>(Diagnosis.class);
        List<String> unknown = new ArrayList<>();
        for (Path child : children(splitFolder)) {
            if (!Files.isDirectory(child)) {
                continue;
            }
            String name = child.getFileName().toString();
            Optional<Diagnosis> cls = Diagnosis.ofFolderName(name);
            if (cls.isEmpty()) {
                if (!name.startsWith(".")) {
                    unknown.add(name);
                }
            } else if (classFolders.put(cls.get(), child) != null) {
                throw new DataException("folder " + splitFolder + " has two folders for class " + cls.get());
            }
        }
        if (!unknown.isEmpty()) {
            throw new DataException("folder " + splitFolder + " has unknown class folder(s) " + unknown
                    + "; expected NORMAL and PNEUMONIA");
        }
        List<LabeledImage> images = new ArrayList<>();
        for (Diagnosis cls : Diagnosis.values()) {
            Path folder = classFolders.get(cls);
            if (folder == null) {
                if (requireAllClasses) {
                    throw new DataException("folder " + splitFolder + " has no " + cls + " class folder");
                }
                continue;
            }
            int before = images.size();
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                    if (!Files.isRegularFile(file) || file.getFileName().toString().startsWith(".")) {
                        continue;
                    }
                    if (isImageName(file)) {
                        images.add(new LabeledImage(file, cls));
                    } else {
                        policy.reject(new SkippedFile(file, "not a .jpeg, .jpg, .png or .dcm file"));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + folder, e);
            }
            if (requireAllClasses && images.size() == before) {
                throw new DataException("class folder " + folder + " has no images");
            }
        }
        if (images.isEmpty()) {
            throw new DataException("folder " + splitFolder + " has no images");
        }
        return images;
    }

    /** Whether the file name ends in an image extension we read. */
    public static boolean isImageName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean hasClassFolder(Path folder) {
        return children(folder).stream()
                .anyMatch(p -> Files.isDirectory(p) && Diagnosis.ofFolderName(p.getFileName().toString()).isPresent());
    }

    private static Optional<Path> childIgnoringCase(Path folder, String name) {
        return children(folder).stream()
                .filter(p -> p.getFileName().toString().equalsIgnoreCase(name))
                .findFirst();
    }

    private static List<Path> children(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new DataException("cannot read folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private static void requireDirectory(Path folder) {
        if (!Files.exists(folder)) {
            throw new DataException("data folder " + folder + " does not exist");
        }
        if (!Files.isDirectory(folder)) {
            throw new DataException("data path " + folder + " is not a folder");
        }
    }
}
