package dev.sourcinggraph.neo4j;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.exceptions.AuthenticationException;

/**
 * Readiness probe used by {@code scripts/neo4j start|status}: logs in over Bolt as user neo4j with
 * the password read from a file (never from the command line) and runs {@code RETURN 1}.
 *
 * <p>Usage: {@code ReadyCheck <bolt-uri> <password-file> [timeout-seconds]}. Retries until the
 * timeout while the server does not answer. Exit codes: 0 ready, 1 not answering / wrong result,
 * 2 authentication refused.
 */
public final class ReadyCheck {
    private ReadyCheck() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ReadyCheck <bolt-uri> <password-file> [timeout-seconds]");
            System.exit(64);
        }
        String uri = args[0];
        Path pwFile = Path.of(args[1]);
        long timeoutMs = TimeUnit.SECONDS.toMillis(args.length > 2 ? Long.parseLong(args[2]) : 30);
        long deadline = System.currentTimeMillis() + timeoutMs;

        Config config = Config.builder()
                .withLogging(Logging.none())
                .withConnectionTimeout(5, TimeUnit.SECONDS)
                .withMaxConnectionPoolSize(1)
                .build();
        String lastError = "no attempt";
        while (true) {
            try {
                String pw = Files.exists(pwFile) ? Files.readString(pwFile, StandardCharsets.UTF_8).strip() : "";
                try (Driver driver = GraphDatabase.driver(uri, AuthTokens.basic(DevServer.USER, pw), config)) {
                    long one = driver.executableQuery("RETURN 1 AS one").execute()
                            .records().get(0).get("one").asLong();
                    if (one == 1L) {
                        System.exit(0);
                    }
                    lastError = "RETURN 1 returned " + one;
                }
            } catch (AuthenticationException e) {
                // scripts/neo4j only probes after the server wrote run/ready (password applied), so a
                // refusal is final; retrying would only trip the server's failed-login lockout.
                System.err.println("authentication refused: " + e.getMessage());
                System.exit(2);
            } catch (Exception e) {
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (System.currentTimeMillis() >= deadline) {
                System.err.println("not ready: " + lastError);
                System.exit(1);
            }
            Thread.sleep(Duration.ofMillis(500).toMillis());
        }
    }
}
