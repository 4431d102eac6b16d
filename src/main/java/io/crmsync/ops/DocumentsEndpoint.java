package io.crmsync.ops;

import java.util.Map;

import com.mongodb.client.model.Filters;
import io.crmsync.stores.mongodb.Collections;
import org.bson.Document;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/documents?target=mongodb:users/u-1}: the document a processing record's write went to, as
 * MongoDB holds it now (crm-sync's {@code _sync} bookkeeping left out). Documents hold personal data, so reading one
 * needs the admin token, as reading dead letters does.
 */
@Endpoint(id = "documents")
class DocumentsEndpoint {

    private final Collections collections;

    DocumentsEndpoint(Collections collections) {
        this.collections = collections;
    }

    @ReadOperation
    Map<String, Object> document(String target) {
        if (target == null || !target.startsWith("mongodb:") || !target.contains("/")) {
            throw new InvalidEndpointRequestException("target is a processing record's target, mongodb:<collection>/<id>"
                    + " (PostgreSQL rows are checked with verify)", "bad target");
        }
        String path = target.substring("mongodb:".length());
        String collection = path.substring(0, path.indexOf('/'));
        String id = path.substring(path.indexOf('/') + 1);
        Document document = collections.get(collection).find(Filters.eq("_id", id)).first();
        if (document == null) {
            return Map.of("target", target, "found", false);
        }
        document.remove("_sync");
        return Map.of("target", target, "found", true, "document", document);
    }
}
