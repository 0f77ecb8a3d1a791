package io.auditpipe.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The root {@code docker-compose.yml} stays valid and consistent with the build: Compose accepts it
 * ({@code docker-compose config -q}, Debian's package, no engine needed), every file it mounts from
 * the repository exists, the build outputs it mounts are where the modules put them, and its Kafka
 * image is the Kafka version the project is built against.
 */
class DockerComposeFileTest {

  private static final Pattern BIND_MOUNT = Pattern.compile("^\\s*-\\s*\\./([^:\\s]+):");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{[A-Z_]+:-([^}]*)}");
  private static final Pattern KAFKA_IMAGE = Pattern.compile("image:\\s*apache/kafka:(\\S+)");
  private static final Pattern KAFKA_VERSION =
      Pattern.compile("<kafka\\.version>([^<]+)</kafka\\.version>");

  private final Path root = RepositoryRoot.locate();
  private final Path composeFile = root.resolve("docker-compose.yml");

  @Test
  void composeAcceptsTheFile() throws Exception {
    Path binary = onPath("docker-compose");
    assumeTrue(
        binary != null,
        "docker-compose is not installed, so the Compose schema check is skipped;"
            + " run docker/check-compose.sh (installs Debian's docker-compose) to enable it");
    Process process =
        new ProcessBuilder(binary.toString(), "-f", composeFile.toString(), "config", "-q")
            .directory(root.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("docker-compose finished").isTrue();

    assertThat(process.exitValue()).as("docker-compose config -q said: %s", output).isZero();
  }

  @Test
  void everyFileMountedFromTheRepositoryExists() throws IOException {
    List<String> sources = new ArrayList<>();
    for (String source : bindMountSources()) {
      if (!source.contains("/target/")) {
        sources.add(source);
      }
    }

    assertThat(sources).contains("docker/connect/connect-distributed.properties", "examples");
    assertThat(sources).allSatisfy(source -> assertThat(root.resolve(source)).exists());
  }

  @Test
  void buildOutputsAreMountedFromWhereTheModulesPutThem() throws IOException {
    List<String> outputs = bindMountSources().stream().filter(s -> s.contains("/target/")).toList();
    assertThat(outputs).isNotEmpty();
    for (String output : outputs) {
      Path moduleTarget = root.resolve(output.substring(0, output.indexOf("/target/") + 7));
      // Only meaningful once the module is packaged (its own jar exists); a fresh clone has no
      // target.
      if (packaged(moduleTarget)) {
        assertThat(root.resolve(output)).as("%s, mounted by docker-compose.yml", output).exists();
      }
    }
  }

  @Test
  void theKafkaImageIsTheKafkaVersionTheProjectBuildsAgainst() throws IOException {
    Matcher version = KAFKA_VERSION.matcher(Files.readString(root.resolve("pom.xml")));
    assertThat(version.find()).isTrue();
    Matcher images = KAFKA_IMAGE.matcher(Files.readString(composeFile));
    List<String> tags = new ArrayList<>();
    while (images.find()) {
      tags.add(images.group(1));
    }

    assertThat(tags).isNotEmpty().containsOnly(version.group(1));
  }

  private List<String> bindMountSources() throws IOException {
    List<String> sources = new ArrayList<>();
    for (String line : Files.readAllLines(composeFile)) {
      // ${VAR:-default} as Compose resolves it when VAR is unset.
      Matcher m = BIND_MOUNT.matcher(VARIABLE.matcher(line).replaceAll("$1"));
      if (m.find()) {
        sources.add(m.group(1));
      }
    }
    return sources;
  }

  /** Whether the module was packaged since its pom last changed: its own jar is newer. */
  private static boolean packaged(Path moduleTarget) throws IOException {
    if (!Files.isDirectory(moduleTarget)) {
      return false;
    }
    long pom = Files.getLastModifiedTime(moduleTarget.resolveSibling("pom.xml")).toMillis();
    try (Stream<Path> files = Files.list(moduleTarget)) {
      return files
          .filter(
              f ->
                  f.getFileName()
                      .toString()
                      .matches("auditpipe-.*-SNAPSHOT\\.jar|auditpipe-[^-]*-[0-9.]+\\.jar"))
          .anyMatch(f -> modified(f) > pom);
    }
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static Path onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator, -1)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
