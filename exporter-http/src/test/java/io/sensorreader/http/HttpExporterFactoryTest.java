package io.sensorreader.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sensorreader.api.ConfigException;
import io.sensorreader.api.Exporter;
import io.sensorreader.api.ExporterFactory;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class HttpExporterFactoryTest {

    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(HttpExporterFactory.class);

    @BeforeEach
    void capture() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
    }

    Exporter create(String host) {
        return new HttpExporterFactory().create(new FakeContext().with("COLLECTOR_HOST", host));
    }

    @Test
    void isFoundThroughServiceLoaderAsHttp() {
        assertThat(ServiceLoader.load(ExporterFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("http"))).singleElement().isInstanceOf(HttpExporterFactory.class);
    }

    @Test
    void defaultsToLocalhost3000() {
        try (Exporter e = new HttpExporterFactory().create(new FakeContext())) {
            assertThat(e.destination()).isEqualTo("http://localhost:3000");
        }
        assertThat(log.list).isEmpty();
    }

    @Test
    void acceptsTrailingSlashAndBasePath() {
        try (Exporter e = create("https://collector.example.com/api/")) {
            assertThat(e.destination()).isEqualTo("https://collector.example.com/api");
        }
    }

    @Test
    void refusesHostWithoutScheme() {
        assertThatThrownBy(() -> create("collector:3000")).isInstanceOf(ConfigException.class)
                .hasMessage("SENSOR_READER_COLLECTOR_HOST is 'collector:3000'; expected a URL such as http://collector:3000 "
                        + "or https://collector.example.com (with http:// or https://)");
    }

    @Test
    void refusesUserInfoWithoutPrintingIt() {
        assertThatThrownBy(() -> create("https://me:hunter2@collector")).isInstanceOf(ConfigException.class)
                .hasMessage("SENSOR_READER_COLLECTOR_HOST carries a user name or password; the collector authenticates "
                        + "with the device token only: remove the part before '@'");
    }

    @Test
    void refusesTimeoutOutOfRange() {
        assertThatThrownBy(() -> new HttpExporterFactory().create(new FakeContext().with("HTTP_REQUEST_TIMEOUT", "0s")))
                .hasMessage("SENSOR_READER_HTTP_REQUEST_TIMEOUT is '0s'; expected a duration from 100ms to 5m, e.g. 10s");
        assertThatThrownBy(() -> new HttpExporterFactory().create(new FakeContext().with("HTTP_CONNECT_TIMEOUT", "soon")))
                .hasMessage("SENSOR_READER_HTTP_CONNECT_TIMEOUT is 'soon'; expected a duration such as 500ms, 5s, 2m or 1h");
    }

    @Test
    void warnsOnceAboutCleartextToAnotherMachine() {
        create("http://collector:3000").close();

        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "SENSOR_READER_COLLECTOR_HOST is http://collector:3000: the device token travels unencrypted to another "
                        + "machine; use https:// unless this network is trusted");
    }

    @Test
    void doesNotWarnForLoopbackOrHttps() {
        create("http://127.0.0.1:3000").close();
        create("http://[::1]:3000").close();
        create("http://localhost").close();
        create("https://collector:3000").close();

        assertThat(log.list).isEmpty();
    }
}
