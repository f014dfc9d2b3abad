package dialog.dev.es;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.DialogDevNode;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.netty4.Netty4Plugin;

/**
 * Runs one single-node Elasticsearch 8 cluster inside this JVM, for development and tests only.
 *
 * <pre>
 * java -Xms512m -Xmx512m -cp 'lib/*' dialog.dev.es.RunEs --home DIR [--http-port 9201]
 *      [--host 127.0.0.1] [--transport-port 9300-9400] [--cluster-name dialog-dev]
 *      [--node-name dialog-dev-1] [-Esome.setting=value ...]
 * </pre>
 *
 * DIR gets config/, data/, logs/, tmp/ (and empty modules/, plugins/). Logs go to stdout. The node
 * binds only to --host, uses single-node discovery and has no security at all (the x-pack modules
 * are simply not on the classpath, so xpack.* settings are unknown and must not be set). It runs
 * until SIGTERM/SIGINT, then closes the node cleanly.
 */
public final class RunEs {

    private static final String LOG4J2 = """
        status = error
        appender.console.type = Console
        appender.console.name = console
        appender.console.layout.type = PatternLayout
        appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n
        rootLogger.level = info
        rootLogger.appenderRef.console.ref = console
        """;

    private RunEs() {}

    public static void main(String[] args) throws Exception {
        Path home = null;
        String host = "127.0.0.1";
        String httpPort = "9201";
        String transportPort = "9300-9400";
        String clusterName = "dialog-dev";
        String nodeName = "dialog-dev-1";
        Settings.Builder extra = Settings.builder();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("-E") && a.contains("=")) {
                String kv = a.substring(2);
                extra.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                continue;
            }
            if (i + 1 >= args.length) {
                usage("missing value for " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--home" -> home = Paths.get(v).toAbsolutePath();
                case "--host" -> host = v;
                case "--http-port" -> httpPort = v;
                case "--transport-port" -> transportPort = v;
                case "--cluster-name" -> clusterName = v;
                case "--node-name" -> nodeName = v;
                default -> usage("unknown argument " + a);
            }
        }
        if (home == null) {
            usage("--home is required");
        }
        if ("root".equals(System.getProperty("user.name")) && System.getenv("DIALOG_ES_ALLOW_ROOT") == null) {
            // Like the real distribution: running as root would leave root-owned files in the data dir.
            System.err.println("RunEs: refusing to run as root; run it as an unprivileged user (see infra/dev/elasticsearch.sh)");
            System.exit(2);
        }

        Path config = home.resolve("config");
        for (String d : List.of("config", "data", "logs", "tmp", "modules", "plugins")) {
            Files.createDirectories(home.resolve(d));
        }
        Path log4j = config.resolve("log4j2.properties");
        if (Files.exists(log4j) == false) {
            Files.writeString(log4j, LOG4J2, StandardCharsets.UTF_8);
        }

        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", clusterName)
            .put("node.name", nodeName)
            .put("network.host", host)
            .put("http.port", httpPort)
            .put("transport.port", transportPort)
            .put("discovery.type", "single-node")
            // a dev laptop/CI box with a nearly full disk must not turn indices read-only
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put(extra.build())
            .build();
        final String defaultNodeName = nodeName;
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), config, () -> defaultNodeName);

        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(environment.settings()));
        LogConfigurator.configure(environment, true);
        Logger logger = LogManager.getLogger(RunEs.class);

        final Node node = new DialogDevNode(environment, List.of(Netty4Plugin.class, DevBasicsPlugin.class));
        final CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                logger.info("stopping dev node");
                node.prepareForClose();
                node.close();
                if (node.awaitClose(20, TimeUnit.SECONDS) == false) {
                    logger.warn("node did not close within 20s");
                }
                logger.info("dev node stopped");
            } catch (IOException | InterruptedException | RuntimeException e) {
                logger.error("error while stopping the node", e);
            } finally {
                closed.countDown();
                Configurator.shutdown((LoggerContext) org.apache.logging.log4j.LogManager.getContext(false));
            }
        }, "dialog-es-shutdown"));

        try {
            node.start();
        } catch (Exception | Error e) {
            logger.error("failed to start the dev node", e);
            System.exit(1);
        }
        logger.info("dialog dev node started: http://{}:{} cluster [{}] home [{}]", host, httpPort, clusterName, home);
        closed.await();
    }

    private static void usage(String msg) {
        System.err.println("RunEs: " + msg);
        System.err.println("usage: RunEs --home DIR [--http-port 9201] [--host 127.0.0.1] [--transport-port 9300-9400]"
            + " [--cluster-name dialog-dev] [--node-name dialog-dev-1] [-Ekey=value ...]");
        System.exit(64);
    }
}
