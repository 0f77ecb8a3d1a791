package io.auditpipe.emulator;

import static io.auditpipe.emulator.Http.ORG;
import static io.auditpipe.emulator.Http.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.auditpipe.emulator.state.RateLimit;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The emulator's page in a real browser: Debian's chromium, headless, through Debian's chromedriver
 * (never downloaded). Skipped, with a message, only where the two are not installed.
 */
class EmulatorPageIT {

  private static final Path CHROMIUM =
      Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER =
      Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
  private static final String OTHER_ORG = "org_01BETA0000000000000000000";

  @TempDir Path profile;

  private WorkOsEmulator workos;
  private WebDriver browser;
  private Http http;

  @BeforeEach
  void start() {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "EmulatorPageIT needs chromium and chromedriver ("
            + CHROMIUM
            + ", "
            + CHROMEDRIVER
            + "): apt-get install chromium chromium-driver");
    workos =
        WorkOsEmulator.builder()
            .apiKey("sk_test_page")
            .apiKey("sk_test_throttled")
            .organization(ORG, "Acme", Optional.of("acme"))
            .organization(OTHER_ORG, "Beta", Optional.of("beta"))
            .rateLimit(Optional.of(RateLimit.parse("6/60s").orElseThrow()))
            .start();
    http = new Http(workos.baseUrl(), "sk_test_page");
    // Selenium Manager must not look for or download a driver: both paths are given.
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1100",
        "--user-data-dir=" + profile.toAbsolutePath());
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (workos != null) {
      workos.close();
    }
  }

  @Test
  void eventsAppearFiltersNarrowThemAndFailuresAreListed() throws Exception {
    assertThat(http.post("/audit_logs/events", event(ORG, "user.signed_in"), "key-1").statusCode())
        .isEqualTo(201);
    assertThat(http.post("/audit_logs/events", event(ORG, "team.created"), "key-2").statusCode())
        .isEqualTo(201);
    assertThat(http.post("/audit_logs/events", event(OTHER_ORG, "user.signed_in")).statusCode())
        .isEqualTo(201);

    browser.get(workos.baseUrl() + "/");
    // The page refreshes itself: a row read between two refreshes may be replaced, so each check
    // is retried until it holds.
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.ignoring(StaleElementReferenceException.class);

    wait.until(b -> rows("events").size() == 3);
    wait.until(b -> text("counter-stored").equals("3"));
    wait.until(b -> containsAll(firstRow("events"), "user.signed_in", "Beta"));

    new Select(browser.findElement(By.id("filter-action"))).selectByValue("team.created");
    wait.until(b -> rows("events").size() == 1 && firstRow("events").contains("team.created"));
    wait.until(b -> firstRow("events").contains("key-2"));

    new Select(browser.findElement(By.id("filter-action"))).selectByValue("");
    new Select(browser.findElement(By.id("filter-org"))).selectByValue(OTHER_ORG);
    wait.until(b -> rows("events").size() == 1 && firstRow("events").contains("Beta"));

    browser.findElement(By.id("clear-filters")).click();
    wait.until(b -> rows("events").size() == 3);
    wait.until(
        b -> {
          rows("events").get(1).click();
          return text("detail").contains("\"idempotency_key\": \"key-2\"");
        });
    assertThat(text("detail"))
        .contains("received_at", "\"name\": \"Jon\"", "\"plan\": \"enterprise\"");

    // A rejected request (unknown organization) and a throttled one show in their panels.
    assertThat(http.post("/audit_logs/events", event("org_unknown", "user.signed_in")).statusCode())
        .isEqualTo(404);
    Http throttledKey = new Http(workos.baseUrl(), "sk_test_throttled");
    int status = 0;
    for (int i = 0; i < 10 && status != 429; i++) {
      status = throttledKey.post("/audit_logs/events", event(ORG, "user.signed_in")).statusCode();
    }
    assertThat(status).isEqualTo(429);

    wait.until(
        b ->
            containsAll(
                firstRow("failures"),
                "404",
                "Organization not found: 'org_unknown'.",
                "req_",
                "POST /audit_logs/events"));
    wait.until(b -> containsAll(firstRow("throttled"), "429", "rate_limit_exceeded"));
    wait.until(b -> !text("counter-throttled").equals("0"));

    Path shot = Path.of("target", "emulator-page.png");
    Files.createDirectories(shot.getParent());
    File png = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(png.toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
  }

  private List<WebElement> rows(String table) {
    return browser.findElements(By.cssSelector("#" + table + " tbody tr"));
  }

  private static boolean containsAll(String text, String... parts) {
    for (String p : parts) {
      if (!text.contains(p)) {
        return false;
      }
    }
    return true;
  }

  private String firstRow(String table) {
    List<WebElement> rows = rows(table);
    return rows.isEmpty() ? "" : rows.get(0).getText();
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }
}
