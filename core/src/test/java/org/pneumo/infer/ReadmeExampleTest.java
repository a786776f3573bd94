package org.pneumo.infer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java example in the README compiles against the library as built. */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    static String example() throws Exception {
        Path readme = Path.of(System.getProperty("pneumo.root", "..")).resolve("README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int marker = text.indexOf("<!-- api-example -->");
        assertThat(marker).as("README has an api-example marker").isPositive();
        int start = text.indexOf("```java", marker) + "```java".length();
        int end = text.indexOf("```", start);
        return text.substring(start, end);
    }

    @Test
    void readmeExampleCompiles() throws Exception {
        String source = example();
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(dir.toFile()));
            JavaFileObject unit = new SimpleJavaFileObject(java.net.URI.create("string:///Example.java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            };
            boolean ok = compiler.getTask(diagnostics, files, null,
                    List.of("-classpath", System.getProperty("java.class.path")), null, List.of(unit)).call();
            assertThat(ok).as(diagnostics.toString()).isTrue();
        }
        assertThat(dir.resolve("Example.class")).exists();
    }
}
