package dev.sourcinggraph.neo4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.server.CommunityBootstrapper;

/**
 * Local Neo4j 5.26 Community server for development and CI, started without Docker.
 *
 * <p>Runs the same Community bootstrapper as the packaged server (embedded DatabaseManagementService,
 * Bolt connector, and - unless disabled - the HTTP connector with Neo4j Browser when the browser jar
 * is on the classpath). Everything lives under one directory ({@code --home}):
 *
 * <pre>
 *   &lt;home&gt;/password   initial password of user neo4j (generated once, mode 0600)
 *   &lt;home&gt;/data       databases and transaction logs
 *   &lt;home&gt;/import     LOAD CSV root for file:/// URLs
 *   &lt;home&gt;/logs       neo4j debug/http/query logs
 *   &lt;home&gt;/run/ready  written (with the pid) once the password is applied and Bolt is up
 * </pre>
 *
 * <p>Arguments: {@code --home DIR [--bolt-port 7687] [--http-port 7474 (0 = no HTTP)] [--pagecache 1g]
 * [--tx-timeout 0s] [--tx-memory 0 (no limit)] [--read-only false] [--pid-file FILE]
 * [--tls-dir DIR]}. Started and stopped by {@code scripts/neo4j};
 * SIGTERM shuts it down cleanly.
 *
 * <p>{@code --tls-dir DIR} makes Bolt require TLS with the key and certificate in {@code DIR}
 * ({@code private.key}, PKCS#8 PEM, and {@code public.crt}, PEM, the server certificate first);
 * clients then connect with {@code bolt+s://} / {@code neo4j+s://} (their CA trusted) or
 * {@code +ssc}. Without it Bolt is plain text (loopback only).
 */
public final class DevServer {
    static final String USER = "neo4j";
    private static final int PASSWORD_BYTES = 18; // 18 random bytes -> 24 url-safe base64 chars

    private DevServer() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parseArgs(args);
        Path home = Path.of(require(opts, "home")).toAbsolutePath().normalize();
        int boltPort = Integer.parseInt(opts.getOrDefault("bolt-port", "7687"));
        int httpPort = Integer.parseInt(opts.getOrDefault("http-port", "7474"));
        String pageCache = opts.getOrDefault("pagecache", "1g");
        String txTimeout = opts.getOrDefault("tx-timeout", "0s");
        String txMemory = opts.getOrDefault("tx-memory", "0");
        boolean readOnly = Boolean.parseBoolean(opts.getOrDefault("read-only", "false"));

        Path data = home.resolve("data");
        Path importDir = home.resolve("import");
        Path logs = home.resolve("logs");
        Path run = home.resolve("run");
        Path plugins = home.resolve("plugins");
        Path conf = home.resolve("conf");
        for (Path p : List.of(home, data, importDir, logs, run, plugins, conf)) {
            Files.createDirectories(p);
        }

        String pidFile = opts.get("pid-file");
        if (pidFile != null && !pidFile.isBlank()) {
            // the launcher wrote the pid it saw; make sure the file holds this JVM's pid
            Files.writeString(Path.of(pidFile), ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
        }
        Path readyMarker = run.resolve("ready");
        Files.deleteIfExists(readyMarker);
        PasswordState pw = ensurePasswordFile(home.resolve("password"));

        Map<String, String> cfg = new LinkedHashMap<>();
        // --- directories ------------------------------------------------------------------
        cfg.put("server.directories.data", data.toString());
        cfg.put("server.directories.import", importDir.toString());
        cfg.put("server.directories.logs", logs.toString());
        cfg.put("server.directories.run", run.toString());
        cfg.put("server.directories.plugins", plugins.toString());
        cfg.put("server.directories.lib", home.resolve("lib").toString());
        cfg.put("server.directories.licenses", home.resolve("licenses").toString());
        // --- network: loopback only ---------------------------------------------------------
        cfg.put("server.default_listen_address", "127.0.0.1");
        cfg.put("server.default_advertised_address", "127.0.0.1");
        cfg.put("server.bolt.enabled", "true");
        cfg.put("server.bolt.listen_address", "127.0.0.1:" + boltPort);
        cfg.put("server.bolt.advertised_address", "127.0.0.1:" + boltPort);
        String tlsDir = opts.get("tls-dir");
        if (tlsDir != null && !tlsDir.isBlank()) {
            configureBoltTls(cfg, Path.of(tlsDir).toAbsolutePath().normalize(), home);
        } else {
            cfg.put("server.bolt.tls_level", "DISABLED");
        }
        cfg.put("server.http.enabled", Boolean.toString(httpPort > 0));
        if (httpPort > 0) {
            cfg.put("server.http.listen_address", "127.0.0.1:" + httpPort);
            cfg.put("server.http.advertised_address", "127.0.0.1:" + httpPort);
        }
        cfg.put("server.https.enabled", "false");
        // --- security -----------------------------------------------------------------------
        cfg.put("dbms.security.auth_enabled", "true");
        cfg.put("dbms.security.allow_csv_import_from_file_urls", "true");
        cfg.put("dbms.usage_report.enabled", "false");
        // --- memory / transactions ----------------------------------------------------------
        // Heap is set on the JVM command line (-Xms/-Xmx). Page cache is explicit so the
        // heuristic (50% of RAM minus heap) does not grab most of a shared CI machine.
        cfg.put("server.memory.pagecache.size", pageCache);
        // 0 = unlimited: loaders write ~1M relationships in ONE transaction. --tx-memory caps
        // one transaction (tests use it to make a load fail on the server, deterministically).
        cfg.put("db.memory.transaction.total.max", "0");
        cfg.put("db.memory.transaction.max", txMemory);
        cfg.put("dbms.memory.transaction.total.max", "0");
        cfg.put("db.transaction.timeout", txTimeout);
        // --read-only true: every user database refuses writes (tests of read-only access)
        cfg.put("server.databases.default_to_read_only", Boolean.toString(readOnly));
        cfg.put("db.lock.acquisition.timeout", "0s");
        // keep transaction logs bounded on developer machines
        cfg.put("db.tx_log.rotation.retention_policy", "2 days 2G");
        // checkpoint every minute (default 15m) so recovery after kill -9 replays little
        cfg.put("db.checkpoint.interval.time", "1m");
        // faster clean stop (the defaults wait 2 x 5 s for idle Bolt threads/connections)
        cfg.put("internal.server.bolt.connection_shutdown_wait_time", "1s");
        cfg.put("internal.server.bolt.thread_pool_shutdown_wait_time", "1s");

        Path confFile = conf.resolve("neo4j.conf");
        if (!Files.exists(confFile)) {
            Files.writeString(confFile, String.join("\n",
                    "# Extra Neo4j settings for this local dev server (read at start).",
                    "# Settings passed by scripts/neo4j-server DevServer (directories, listen addresses,",
                    "# auth, page cache, transaction memory limits) override anything set here.",
                    ""), StandardCharsets.UTF_8);
        }

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(readyMarker);
            } catch (IOException ignored) {
                // best effort
            }
        }, "ready-marker-cleanup"));

        CommunityBootstrapper bootstrapper = new CommunityBootstrapper();
        // configFile: <home>/conf/neo4j.conf, optional; overrides above always win.
        int rc = bootstrapper.start(home, confFile, cfg, false, false);
        if (rc != 0) {
            System.err.println("neo4j-dev-server: Neo4j failed to start (code " + rc + "), see " + logs);
            System.exit(rc);
        }

        DatabaseManagementService dbms = bootstrapper.getDatabaseManagementService();
        try {
            applyPassword(dbms.database("system"), pw);
        } catch (RuntimeException e) {
            System.err.println("neo4j-dev-server: could not set the initial password: " + e);
            e.printStackTrace();
            bootstrapper.stop();
            System.exit(2);
        }

        // scripts/neo4j waits for this marker before probing Bolt with the password
        Files.writeString(readyMarker, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
        boolean tls = tlsDir != null && !tlsDir.isBlank();
        System.out.println("neo4j-dev-server: READY " + (tls ? "bolt+s" : "bolt") + "://127.0.0.1:" + boltPort
                + (httpPort > 0 ? " http://127.0.0.1:" + httpPort : "")
                + " user=" + USER + " password-file=" + pw.file + " import=" + importDir);
        System.out.flush();

        // Bootstrapper installed SIGTERM/SIGINT handlers + a shutdown hook that stop the DBMS
        // cleanly and exit; just keep the main thread alive.
        new CountDownLatch(1).await();
    }

    /**
     * Bolt over TLS only ({@code server.bolt.tls_level=REQUIRED}) with the SSL policy "bolt" reading
     * {@code private.key} and {@code public.crt} from {@code dir}; no client certificates. The
     * policy's trusted/revoked folders (client certificates, unused here) live under the data dir.
     */
    static void configureBoltTls(Map<String, String> cfg, Path dir, Path home) throws IOException {
        for (String name : List.of("private.key", "public.crt")) {
            if (!Files.isReadable(dir.resolve(name))) {
                throw new IllegalArgumentException("--tls-dir " + dir + " has no readable " + name);
            }
        }
        Path trusted = home.resolve("tls").resolve("trusted");
        Path revoked = home.resolve("tls").resolve("revoked");
        Files.createDirectories(trusted);
        Files.createDirectories(revoked);
        cfg.put("server.bolt.tls_level", "REQUIRED");
        cfg.put("dbms.ssl.policy.bolt.enabled", "true");
        cfg.put("dbms.ssl.policy.bolt.base_directory", dir.toString());
        cfg.put("dbms.ssl.policy.bolt.private_key", dir.resolve("private.key").toString());
        cfg.put("dbms.ssl.policy.bolt.public_certificate", dir.resolve("public.crt").toString());
        cfg.put("dbms.ssl.policy.bolt.trusted_dir", trusted.toString());
        cfg.put("dbms.ssl.policy.bolt.revoked_dir", revoked.toString());
        cfg.put("dbms.ssl.policy.bolt.client_auth", "NONE");
    }

    record PasswordState(Path file, String password, boolean freshlyGenerated) {}

    static PasswordState ensurePasswordFile(Path file) throws IOException {
        if (Files.exists(file)) {
            String pw = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (pw.length() >= 8) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                return new PasswordState(file, pw, false);
            }
            Files.delete(file); // empty/garbage: regenerate
        }
        byte[] bytes = new byte[PASSWORD_BYTES];
        new SecureRandom().nextBytes(bytes);
        String pw = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, pw + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp);
            return ensurePasswordFile(file);
        }
        return new PasswordState(file, pw, true);
    }

    /**
     * Sets the neo4j user's password in the system database when it is still the default one
     * (password change required) or when the password file was (re)generated on this start.
     */
    static void applyPassword(GraphDatabaseService system, PasswordState pw) {
        Boolean changeRequired = system.executeTransactionally(
                "SHOW USERS YIELD user, passwordChangeRequired WHERE user = $u RETURN passwordChangeRequired",
                Map.of("u", USER),
                r -> r.hasNext() ? (Boolean) r.next().get("passwordChangeRequired") : null);
        if (changeRequired == null) {
            system.executeTransactionally(
                    "CREATE USER " + USER + " SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", pw.password()));
            System.out.println("neo4j-dev-server: created user " + USER);
        } else if (changeRequired || pw.freshlyGenerated()) {
            try {
                system.executeTransactionally(
                        "ALTER USER " + USER + " SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", pw.password()));
                System.out.println("neo4j-dev-server: initial password set from " + pw.file());
            } catch (RuntimeException e) {
                // "Old password and new password cannot be the same" -> already set; anything else is fatal
                if (!String.valueOf(e.getMessage()).toLowerCase().contains("cannot be the same")) {
                    throw e;
                }
            }
        }
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + a);
                }
                value = args[++i];
            }
            m.put(key, value);
        }
        return m;
    }

    private static String require(Map<String, String> opts, String key) {
        String v = opts.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }
}
