package io.crmsync;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.mongo.MongoAutoConfiguration;

/**
 * crm-sync: keeps a CRM's MongoDB in step with the wrapper platform's Redis Streams events.
 */
// the app builds its own MongoClient from MONGODB_URI / MONGO_URI, so Boot's default one must not race it
@SpringBootApplication(exclude = MongoAutoConfiguration.class)
public class CrmSyncApplication {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("demo")) {
            io.crmsync.demo.Demo.run(CrmSyncApplication.class, java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        SpringApplication.run(CrmSyncApplication.class, args);
    }
}
