package io.crmsync;

import java.util.Arrays;

import io.crmsync.ops.cli.Commands;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.mongo.MongoAutoConfiguration;

/**
 * crm-sync: keeps a CRM's MongoDB in step with the wrapper platform's Redis Streams events.
 * <p>
 * With no arguments (or only {@code --key=value} options) it runs the service. A first argument naming a command
 * ({@code demo}, {@code validate}, {@code status}, ...) runs that command of the same jar instead; {@code help}
 * lists them.
 */
// the app builds its own MongoClient from MONGODB_URI / MONGO_URI, so Boot's default one must not race it
@SpringBootApplication(exclude = MongoAutoConfiguration.class)
public class CrmSyncApplication {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && !args[0].startsWith("-")) {
            System.exit(Commands.run(CrmSyncApplication.class, args[0], Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(CrmSyncApplication.class, args);
    }
}
