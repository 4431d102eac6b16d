package io.crmsync.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Checks k8s/ against the app it deploys: ports, probe paths, env vars, the routes directory, security, graceful
 * drain, metric names, KEDA streams. Each overlay is rendered twice when kubectl is on the PATH: by
 * {@code kubectl kustomize} and by reading the kustomization files directly (a small subset of kustomize, enough
 * for this layout); without kubectl only the second runs. Every check runs on every rendering.
 */
class KubernetesManifestsTest {

    private static final Path ROOT = repoRoot();
    private static final Path K8S = ROOT.resolve("k8s");
    private static final List<String> OVERLAYS = List.of("dev", "prod");
    private static final String APP = "crm-sync";
    private static final String ROUTES_CONFIG_MAP = "crm-sync-routes";

    /** Env vars read by Spring Boot or the JVM themselves rather than through application.yaml placeholders. */
    private static final Set<String> PLATFORM_ENV = Set.of("SPRING_CONFIG_ADDITIONAL_LOCATION", "JAVA_TOOL_OPTIONS");
    /** Env vars that carry credentials: only ever from a Secret. */
    private static final Set<String> SECRET_ENV = Set.of("REDIS_URL", "MONGODB_URI", "MONGO_URI");
    /** Series Prometheus makes itself, not the app. */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up");
    /** Seconds the JVM and Spring need after Camel's drain (context close, exit) before SIGKILL is safe. */
    private static final int EXIT_MARGIN_SECONDS = 10;

    private static final Map<String, Rendering> CACHE = new ConcurrentHashMap<>();

    record Rendering(String overlay, String renderer, List<Map<String, Object>> docs) {
        @Override
        public String toString() {
            return overlay + " (" + renderer + ")";
        }
    }

    static Stream<Rendering> renderings() {
        List<Rendering> all = new ArrayList<>();
        for (String overlay : OVERLAYS) {
            all.add(render(overlay, "files"));
            if (kubectlOnPath()) {
                all.add(render(overlay, "kubectl"));
            }
        }
        return all.stream();
    }

    // ---------------------------------------------------------------- the app's HTTP port and probes

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void probesUseTheServerPortAndTheActuatorHealthGroups(Rendering r) {
        Map<String, Object> container = container(r);
        int serverPort = Integer.parseInt(resolve(str(at(applicationYaml(), "server.port")), env(container)));
        Map<String, Object> http = list(container.get("ports")).stream().map(KubernetesManifestsTest::map)
                .filter(p -> "http".equals(p.get("name"))).findFirst().orElseThrow();
        assertThat(((Number) http.get("containerPort")).intValue()).isEqualTo(serverPort);

        // the probe groups exist because application.yaml enables them and names their members
        assertThat(at(applicationYaml(), "management.endpoint.health.probes.enabled")).isEqualTo(true);
        assertThat(map(at(applicationYaml(), "management.endpoint.health.group"))).containsKeys("liveness", "readiness");
        assertThat(str(at(applicationYaml(), "management.endpoints.web.exposure.include"))).contains("health", "prometheus");

        assertProbe(container, "livenessProbe", "/actuator/health/liveness", serverPort);
        assertProbe(container, "readinessProbe", "/actuator/health/readiness", serverPort);
        if (container.containsKey("startupProbe")) {
            assertProbe(container, "startupProbe", "/actuator/health/liveness", serverPort);
        }
    }

    private static void assertProbe(Map<String, Object> container, String probe, String path, int port) {
        Map<String, Object> get = map(at(map(container.get(probe)), "httpGet"));
        assertThat(get.get("path")).as(probe).isEqualTo(path);
        Object probePort = get.get("port");
        assertThat(probePort instanceof Number n ? n.intValue() == port : "http".equals(probePort)).as(probe + " port").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void serviceExposesTheNamedHttpPortOfThePods(Rendering r) {
        Map<String, Object> service = single(r, "Service");
        Map<String, Object> port = map(list(at(service, "spec.ports")).get(0));
        assertThat(port.get("name")).isEqualTo("http");
        assertThat(port.get("targetPort")).isEqualTo("http");
        Map<String, Object> podLabels = map(at(deployment(r), "spec.template.metadata.labels"));
        assertThat(podLabels).containsAllEntriesOf(stringMap(at(service, "spec.selector")));
        assertThat(podLabels).containsAllEntriesOf(stringMap(at(single(r, "PodDisruptionBudget"), "spec.selector.matchLabels")));
        assertThat(podLabels).containsAllEntriesOf(stringMap(at(deployment(r), "spec.selector.matchLabels")));
    }

    // ---------------------------------------------------------------- env

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyEnvVarTheDeploymentSetsIsOneTheAppReads(Rendering r) {
        Set<String> read = new TreeSet<>(placeholderEnvVars());
        read.addAll(PLATFORM_ENV);
        assertThat(placeholderEnvVars()).contains("REDIS_URL", "MONGODB_URI", "CRM_SYNC_CONSUMER_NAME", "ROUTES_DIR", "SERVER_PORT");
        assertThat(envNames(container(r))).isSubsetOf(read).contains("REDIS_URL", "MONGODB_URI", "CRM_SYNC_CONSUMER_NAME", "ROUTES_DIR");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void credentialsComeFromSecretReferencesOnly(Rendering r) {
        for (Object e : list(container(r).get("env"))) {
            Map<String, Object> var = map(e);
            if (SECRET_ENV.contains(str(var.get("name")))) {
                assertThat(var).as(str(var.get("name"))).doesNotContainKey("value");
                assertThat(at(var, "valueFrom.secretKeyRef.name")).as(str(var.get("name"))).isNotNull();
                assertThat(at(var, "valueFrom.secretKeyRef.key")).as(str(var.get("name"))).isNotNull();
            }
        }
        assertThat(r.docs()).noneMatch(d -> "Secret".equals(d.get("kind")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void consumerNameIsThePodName(Rendering r) {
        Map<String, Object> var = envVar(container(r), "CRM_SYNC_CONSUMER_NAME");
        assertThat(at(var, "valueFrom.fieldRef.fieldPath")).isEqualTo("metadata.name");
    }

    // ---------------------------------------------------------------- routes and application.yaml

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void theRoutesConfigMapIsMountedAsAWholeDirectoryWhereTheAppReadsRoutes(Rendering r) throws IOException {
        Map<String, Object> container = container(r);
        // the directory the app loads routes from, as application.yaml resolves it with the Deployment's env
        String pattern = resolve(properties(str(at(applicationYaml(), "camel.main.routes-include-pattern"))), env(container));
        assertThat(pattern).startsWith("file:").endsWith("/*.camel.yaml");
        String routesDir = pattern.substring("file:".length(), pattern.length() - "/*.camel.yaml".length());
        assertThat(routesDir).isEqualTo(envValue(container, "ROUTES_DIR"));

        Map<String, Object> mount = mountAt(container, routesDir);
        assertThat(mount).as("a subPath mount never sees updates").doesNotContainKey("subPath").doesNotContainKey("subPathExpr");
        Map<String, Object> volume = volume(r, str(mount.get("name")));
        assertThat(at(volume, "configMap.name")).isEqualTo(ROUTES_CONFIG_MAP);
        assertThat(at(volume, "configMap.items")).as("every file mounted").isNull();
        assertThat(at(volume, "configMap.optional")).as("no pod runs without its routes").isNotEqualTo(true);
    }

    /** Kustomize cannot take a directory; kubectl makes the ConfigMap of every file in routes/, as the README says. */
    @Test
    void theRoutesConfigMapIsMadeFromTheWholeRoutesDirectory() {
        assertThat(read(K8S.resolve("README.md")))
                .contains("kubectl -n crm-sync create configmap " + ROUTES_CONFIG_MAP + " --from-file=routes/ --dry-run=client -o yaml | kubectl apply -f -");
        for (String overlay : OVERLAYS) {
            for (Rendering r : renderingsOf(overlay)) {
                assertThat(names(r, "ConfigMap")).as("not generated by kustomize, which would list files").doesNotContain(ROUTES_CONFIG_MAP);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void applicationYamlIsMountedWhereSpringReadsAdditionalConfig(Rendering r) throws IOException {
        Map<String, Object> container = container(r);
        String location = envValue(container, "SPRING_CONFIG_ADDITIONAL_LOCATION");
        String dir = location.replaceFirst("^optional:", "").replaceFirst("^file:", "").replaceFirst("/$", "");
        Map<String, Object> data = mountedConfigMapData(r, dir);
        assertThat(data).containsOnlyKeys("application.yaml");
        assertThat(data.get("application.yaml")).isEqualTo(Files.readString(ROOT.resolve("application.yaml")));
    }

    /** The config ConfigMap's name carries a hash, so a change rolls the pods (routes are reloaded in place). */
    @Test
    void theConfigConfigMapRollsThePods() {
        Map<String, Map<String, Object>> generators = new LinkedHashMap<>();
        for (Object g : list(loadYaml(K8S.resolve("base/kustomization.yaml")).get("configMapGenerator"))) {
            generators.put(str(map(g).get("name")), map(g));
        }
        assertThat(generators).containsOnlyKeys("crm-sync-config");
        assertThat(at(generators.get("crm-sync-config"), "options.disableNameSuffixHash")).isNotEqualTo(true);
        if (kubectlOnPath()) {
            for (String overlay : OVERLAYS) {
                assertThat(names(render(overlay, "kubectl"), "ConfigMap")).anyMatch(n -> n.matches("crm-sync-config-[a-z0-9]{10}"));
            }
        }
    }

    // ---------------------------------------------------------------- security and drain

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void podRunsNonRootOnAReadOnlyRootFileSystemWithNoCapabilities(Rendering r) {
        Map<String, Object> pod = map(at(deployment(r), "spec.template.spec"));
        Map<String, Object> podSecurity = map(pod.get("securityContext"));
        Map<String, Object> security = map(container(r).get("securityContext"));
        assertThat(first(security.get("runAsNonRoot"), podSecurity.get("runAsNonRoot"))).isEqualTo(true);
        assertThat(first(security.get("runAsUser"), podSecurity.get("runAsUser"))).isEqualTo(10001);
        assertThat(first(at(security, "seccompProfile.type"), at(podSecurity, "seccompProfile.type"))).isEqualTo("RuntimeDefault");
        assertThat(security.get("readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(security.get("allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(list(at(security, "capabilities.drop"))).contains("ALL");
        assertThat(security).doesNotContainKey("privileged");

        String tmpVolume = mountAt(container(r), "/tmp").get("name").toString();
        assertThat(volume(r, tmpVolume)).containsKey("emptyDir");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void terminationGraceLeavesTimeForPreStopAndTheDrain(Rendering r) {
        int grace = ((Number) at(deployment(r), "spec.template.spec.terminationGracePeriodSeconds")).intValue();
        int drain = Integer.parseInt(String.valueOf(at(applicationYaml(), "camel.main.shutdown-timeout")));
        assertThat(grace).isGreaterThanOrEqualTo(preStopSleepSeconds(container(r)) + drain + EXIT_MARGIN_SECONDS);
    }

    private static int preStopSleepSeconds(Map<String, Object> container) {
        Map<String, Object> preStop = map(at(container, "lifecycle.preStop"));
        if (preStop.containsKey("sleep")) {
            return ((Number) at(preStop, "sleep.seconds")).intValue();
        }
        String command = String.join(" ", list(at(preStop, "exec.command")).stream().map(String::valueOf).toList());
        Matcher m = Pattern.compile("sleep\\s+(\\d+)").matcher(command);
        assertThat(m.find()).as("preStop sleeps: " + command).isTrue();
        return Integer.parseInt(m.group(1));
    }

    // ---------------------------------------------------------------- image, replicas, overlays

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void imageIsCrmSyncWithATagTheOverlaySets(Rendering r) {
        String image = str(container(r).get("image"));
        assertThat(image).matches("(.*/)?crm-sync:[\\w.-]+").doesNotEndWith(":latest");
    }

    @Test
    void devRunsOneConsumer() {
        for (Rendering r : renderingsOf("dev")) {
            assertThat(at(deployment(r), "spec.replicas")).as(r.toString()).isEqualTo(1);
        }
    }

    @Test
    void prodRunsThreeSpreadConsumersKeepsTwoThroughDisruptionsAndScalesOnLag() {
        for (Rendering r : renderingsOf("prod")) {
            assertThat(at(deployment(r), "spec.replicas")).as(r.toString()).isEqualTo(3);
            assertThat(list(at(deployment(r), "spec.template.spec.topologySpreadConstraints"))).as(r.toString()).isNotEmpty();
            Map<String, Object> pdb = map(single(r, "PodDisruptionBudget").get("spec"));
            assertThat(pdb.get("minAvailable")).as(r.toString()).isEqualTo(2);
            assertThat(pdb).as(r.toString()).doesNotContainKey("maxUnavailable");
            assertThat(at(single(r, "ScaledObject"), "spec.minReplicaCount")).as(r.toString()).isEqualTo(3);
            assertThat(kinds(r)).as(r.toString()).contains("ServiceMonitor", "PrometheusRule", "ScaledObject");
        }
    }

    /** The fallback renderer used without kubectl must see what kustomize produces, or its checks mean nothing. */
    @Test
    void readingTheFilesGivesWhatKubectlKustomizeRenders() {
        assumeTrue(kubectlOnPath(), "kubectl not on PATH");
        for (String overlay : OVERLAYS) {
            assertThat(normalised(render(overlay, "files"))).as(overlay).isEqualTo(normalised(render(overlay, "kubectl")));
        }
    }

    private static Map<String, Object> normalised(Rendering r) {
        Map<String, Object> byId = new TreeMap<>();
        for (Map<String, Object> doc : r.docs()) {
            Object copy = stripHashSuffix(doc);
            byId.put(doc.get("kind") + "/" + stripHashSuffix(at(doc, "metadata.name")), copy);
        }
        return byId;
    }

    private static Object stripHashSuffix(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new TreeMap<>();
            m.forEach((k, v) -> out.put(k, stripHashSuffix(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(KubernetesManifestsTest::stripHashSuffix).toList();
        }
        return value instanceof String s ? s.replaceFirst("^(crm-sync-config)-[a-z0-9]{10}$", "$1") : value;
    }

    // ---------------------------------------------------------------- monitoring

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void serviceMonitorScrapesTheActuatorOnTheHttpPort(Rendering r) {
        assumeTrue(kinds(r).contains("ServiceMonitor"), "no monitoring component");
        Map<String, Object> endpoint = map(list(at(single(r, "ServiceMonitor"), "spec.endpoints")).get(0));
        assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/actuator/prometheus");
        assertThat(stringMap(at(single(r, "Service"), "metadata.labels")))
                .containsAllEntriesOf(stringMap(at(single(r, "ServiceMonitor"), "spec.selector.matchLabels")));
        // the alerts and the dashboard select job="crm-sync": the job label is the Service's name
        assertThat(at(single(r, "Service"), "metadata.name")).isEqualTo(APP);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void alertsAndDashboardUseOnlyMetricsTheAppExports(Rendering r) throws IOException {
        assumeTrue(kinds(r).contains("PrometheusRule"), "no monitoring component");
        Map<String, String> exprs = new LinkedHashMap<>();
        for (Object group : list(at(single(r, "PrometheusRule"), "spec.groups"))) {
            for (Object rule : list(map(group).get("rules"))) {
                exprs.put("alert " + map(rule).get("alert"), str(map(rule).get("expr")));
            }
        }
        Map<String, Object> dashboards = data(single(r, "ConfigMap", "crm-sync-dashboard"));
        assertThat(at(single(r, "ConfigMap", "crm-sync-dashboard"), "metadata.labels.grafana_dashboard")).isEqualTo("1");
        for (Map.Entry<String, Object> d : dashboards.entrySet()) {
            exprs.putAll(dashboardQueries(d.getKey(), str(d.getValue())));
        }
        assertUsesExportedMetrics(exprs);
    }

    @Test
    void dashboardFileUsesOnlyExportedMetricsAndIsTheOneShipped() throws IOException {
        Path file = K8S.resolve("components/monitoring/dashboards/crm-sync.json");
        Map<String, String> queries = dashboardQueries("crm-sync.json", Files.readString(file));
        assertThat(queries).hasSizeGreaterThan(10);
        assertUsesExportedMetrics(queries);
        String all = String.join("\n", queries.values());
        assertThat(all).contains("redis_streams_lag", "redis_streams_pending", "redis_streams_entries_read_total",
                "redis_streams_entries_acked_total", "crm_sync_events_total", "crm_sync_event_latency_seconds_bucket",
                "camel_exchanges_total", "camel_exchanges_failed_total");
        assertThat(all).contains("histogram_quantile(0.5,", "histogram_quantile(0.99,");
    }

    @Test
    void prometheusRuleHasTheAlertsOnCallNeeds() {
        Map<String, Object> rule = loadYaml(K8S.resolve("components/monitoring/prometheusrule.yaml"));
        Set<String> alerts = new TreeSet<>();
        for (Object group : list(at(rule, "spec.groups"))) {
            for (Object r : list(map(group).get("rules"))) {
                alerts.add(str(map(r).get("alert")));
                assertThat(at(map(r), "labels.severity")).as(str(map(r).get("alert"))).isNotNull();
            }
        }
        assertThat(alerts).contains("CrmSyncConsumerDown", "CrmSyncLagHigh", "CrmSyncDeadLetterGrowing",
                "CrmSyncPendingStuck", "CrmSyncNothingProcessed");
    }

    @Test
    void metricNamesAreFoundInPromqlAndGrafanaQueries() {
        assertThat(metricNames("sum by (stream, group) (rate(redis_streams_entries_read_total{job=\"crm-sync\", "
                + "stream=~\"$stream\"}[$__rate_interval])) > 0 and on (namespace) absent(up{job=\"x\"}) or vector(0)"))
                .containsExactlyInAnyOrder("redis_streams_entries_read_total", "up");
        assertThat(metricNames("histogram_quantile(0.99, sum by (le) (rate(crm_sync_event_latency_seconds_bucket[5m])))"))
                .containsExactly("crm_sync_event_latency_seconds_bucket");
        assertThat(metricNames("label_values(redis_streams_lag{namespace=\"$namespace\"}, stream)"))
                .containsExactly("redis_streams_lag");
        assertThat(exported("crm_sync_event_latency_seconds_bucket")).isTrue();
        assertThat(exported("redis_streams_poll_latency_seconds_count")).isTrue();
        assertThat(exported("redis_streams_poll_latency_max_seconds")).isTrue();
        assertThat(exported("redis_streams_lag_total")).isFalse();
        assertThat(exported("redis_streams_lag_count")).isFalse();
        assertThat(exported("crm_sync_events_total_count")).isFalse();
        assertThat(exported("camel_exchanges")).isTrue();
    }

    private static void assertUsesExportedMetrics(Map<String, String> exprs) {
        Map<String, Set<String>> unknown = new TreeMap<>();
        exprs.forEach((where, expr) -> {
            Set<String> names = metricNames(expr);
            assertThat(names).as("metrics in " + where).isNotEmpty();
            names.stream().filter(n -> !exported(n) && !PROMETHEUS_SERIES.contains(n))
                    .forEach(n -> unknown.computeIfAbsent(n, k -> new TreeSet<>()).add(where));
        });
        assertThat(unknown).as("metric names missing from src/test/resources/exported-metrics.txt").isEmpty();
    }

    /**
     * Listed; or the OpenMetrics family name of a listed counter (without _total); or a _bucket/_count/_sum/_max
     * series of a listed timer (Micrometer timers always end in _seconds, gauges and counters get no such series).
     */
    static boolean exported(String name) {
        Set<String> list = exportedMetrics();
        if (list.contains(name) || list.contains(name + "_total")) {
            return true;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum", "_max")) {
            String base = name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : "";
            if (base.endsWith("_seconds") && list.contains(base)) {
                return true;
            }
        }
        return false;
    }

    private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan", "le");

    /** Metric names in a PromQL expression: identifiers that are not functions, keywords, labels or variables. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("label_values\\(\\s*([A-Za-z_:][\\w:]*)\\s*,\\s*\\w+\\s*\\)", "$1");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![\\w$.])([A-Za-z_:][\\w:]*+)(?!\\s*\\()").matcher(s);
        while (m.find()) {
            if (!PROMQL_WORDS.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static Map<String, String> dashboardQueries(String file, String json) throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(json);
        assertThat(dashboard.path("uid").asText()).as(file + " uid").isNotBlank();
        Map<String, String> queries = new LinkedHashMap<>();
        dashboard.findParents("expr").forEach(t -> queries.put(file + " #" + queries.size() + " " + t.path("refId").asText(),
                t.get("expr").asText()));
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                queries.put(file + " $" + variable.path("name").asText(), query.isObject() ? query.path("query").asText() : query.asText());
            }
        }
        return queries;
    }

    // ---------------------------------------------------------------- KEDA

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void kedaScalesTheDeploymentOnTheLagOfEveryStreamTheAppReads(Rendering r) {
        assumeTrue(kinds(r).contains("ScaledObject"), "no keda component");
        Map<String, Object> scaled = single(r, "ScaledObject");
        assertThat(at(scaled, "spec.scaleTargetRef.name")).isEqualTo(at(deployment(r), "metadata.name"));
        List<Object> triggers = list(at(scaled, "spec.triggers"));
        assertThat(triggers).hasSize(1);
        Map<String, Object> trigger = map(triggers.get(0));
        assertThat(trigger.get("type")).isEqualTo("prometheus");
        Map<String, Object> meta = map(trigger.get("metadata"));
        assertThat(meta).containsKeys("serverAddress", "threshold", "activationThreshold");
        String query = str(meta.get("query"));
        // one query over every stream and group: nothing to list when a routes file adds a stream
        assertThat(metricNames(query)).containsExactly("redis_streams_lag");
        assertThat(query).contains("max by (stream, group)").doesNotContain("stream=")
                .contains("job=\"crm-sync\"").contains("namespace=\"" + at(scaled, "metadata.namespace") + "\"");
        assertThat(kinds(r)).contains("ServiceMonitor");
    }

    // ---------------------------------------------------------------- rendering

    private static Rendering render(String overlay, String renderer) {
        return CACHE.computeIfAbsent(overlay + "/" + renderer, k -> new Rendering(overlay, renderer,
                "kubectl".equals(renderer) ? kubectlKustomize(K8S.resolve("overlays").resolve(overlay))
                        : FileKustomize.build(K8S.resolve("overlays").resolve(overlay))));
    }

    private static List<Rendering> renderingsOf(String overlay) {
        return renderings().filter(r -> r.overlay().equals(overlay)).toList();
    }

    private static boolean kubectlOnPath() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl")));
    }

    /** The generators read routes/ and application.yaml above k8s/base: see k8s/README.md. */
    private static List<Map<String, Object>> kubectlKustomize(Path dir) {
        try {
            Path out = Files.createTempFile("kustomize", ".yaml");
            Path err = Files.createTempFile("kustomize", ".err");
            try {
                Process p = new ProcessBuilder("kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone", dir.toString())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize finished").isTrue();
                assertThat(p.exitValue()).as("kubectl kustomize " + dir + ": " + Files.readString(err)).isZero();
                return loadAll(Files.readString(out));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The subset of kustomize this layout uses: resources, components, configMapGenerator (files, options),
     * strategic-merge patches by kind and name, labels (metadata only), images, replicas, namespace. Generated names
     * carry no hash suffix; references match either way.
     */
    static final class FileKustomize {

        static List<Map<String, Object>> build(Path dir) {
            return apply(dir, new ArrayList<>());
        }

        private static List<Map<String, Object>> apply(Path dir, List<Map<String, Object>> docs) {
            Map<String, Object> k = loadYaml(dir.resolve("kustomization.yaml"));
            for (Object resource : list(k.get("resources"))) {
                Path path = dir.resolve(str(resource)).normalize();
                docs.addAll(Files.isDirectory(path) ? build(path) : loadAll(read(path)));
            }
            for (Object component : list(k.get("components"))) {
                docs = apply(dir.resolve(str(component)).normalize(), docs);
            }
            for (Object g : list(k.get("configMapGenerator"))) {
                docs.add(configMap(dir, map(g)));
            }
            for (Object patch : list(k.get("patches"))) {
                assertThat(map(patch)).as("only file patches without target are supported").containsOnlyKeys("path");
                for (Map<String, Object> p : loadAll(read(dir.resolve(str(map(patch).get("path")))))) {
                    Map<String, Object> target = docs.stream().filter(d -> d.get("kind").equals(p.get("kind"))
                            && at(d, "metadata.name").equals(at(p, "metadata.name"))).findFirst().orElseThrow();
                    docs.set(docs.indexOf(target), map(merge(target, p)));
                }
            }
            for (Object l : list(k.get("labels"))) {
                assertThat(map(l).get("includeSelectors")).isNotEqualTo(true);
                docs.forEach(d -> metadata(d, "labels").putAll(map(map(l).get("pairs"))));
            }
            for (Object i : list(k.get("images"))) {
                Map<String, Object> image = map(i);
                for (Map<String, Object> d : docs) {
                    for (Object c : list(at(d, "spec.template.spec.containers"))) {
                        String name = str(map(c).get("image")).replaceFirst(":[^:/]+$", "");
                        if (name.equals(image.get("name"))) {
                            map(c).put("image", (image.containsKey("newName") ? str(image.get("newName")) : name)
                                    + (image.containsKey("newTag") ? ":" + image.get("newTag") : ""));
                        }
                    }
                }
            }
            for (Object rep : list(k.get("replicas"))) {
                docs.stream().filter(d -> "Deployment".equals(d.get("kind")) && at(d, "metadata.name").equals(map(rep).get("name")))
                        .forEach(d -> map(d.get("spec")).put("replicas", map(rep).get("count")));
            }
            if (k.get("namespace") != null) {
                docs.forEach(d -> map(d.get("metadata")).put("namespace", k.get("namespace")));
                // as kustomize does: a binding's service accounts move to the namespace with it
                docs.stream().filter(d -> "RoleBinding".equals(d.get("kind"))).flatMap(d -> list(d.get("subjects")).stream())
                        .map(subject -> map(subject)).filter(subject -> "ServiceAccount".equals(subject.get("kind")))
                        .forEach(subject -> subject.put("namespace", k.get("namespace")));
            }
            return docs;
        }

        private static Map<String, Object> configMap(Path dir, Map<String, Object> generator) {
            Map<String, Object> data = new LinkedHashMap<>();
            for (Object f : list(generator.get("files"))) {
                String[] keyAndPath = str(f).contains("=") ? str(f).split("=", 2) : new String[] {null, str(f)};
                Path path = dir.resolve(keyAndPath[1]).normalize();
                data.put(keyAndPath[0] != null ? keyAndPath[0] : path.getFileName().toString(), read(path));
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("name", generator.get("name"));
            Object labels = at(generator, "options.labels");
            if (labels != null) {
                metadata.put("labels", new LinkedHashMap<>(map(labels)));
            }
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("apiVersion", "v1");
            cm.put("kind", "ConfigMap");
            cm.put("metadata", metadata);
            cm.put("data", data);
            return cm;
        }

        private static Map<String, Object> metadata(Map<String, Object> doc, String key) {
            return map(map(doc.computeIfAbsent("metadata", k -> new LinkedHashMap<>())).computeIfAbsent(key, k -> new LinkedHashMap<>()));
        }

        /** Strategic merge as kustomize does it for these patches: maps deep, lists of named items by name, null deletes. */
        static Object merge(Object base, Object patch) {
            if (base instanceof Map<?, ?> b && patch instanceof Map<?, ?> p) {
                Map<String, Object> out = new LinkedHashMap<>(map(b));
                p.forEach((key, value) -> {
                    if (value == null) {
                        out.remove(key);
                    } else {
                        out.put(str(key), merge(out.get(key), value));
                    }
                });
                return out;
            }
            if (base instanceof List<?> b && patch instanceof List<?> p && named(b) && named(p)) {
                List<Object> out = new ArrayList<>(b);
                for (Object item : p) {
                    int i = indexOfName(out, map(item).get("name"));
                    if (i >= 0) {
                        out.set(i, merge(out.get(i), item));
                    } else {
                        out.add(item);
                    }
                }
                return out;
            }
            return patch;
        }

        private static boolean named(List<?> items) {
            return items.stream().allMatch(i -> i instanceof Map<?, ?> m && m.get("name") != null);
        }

        private static int indexOfName(List<Object> items, Object name) {
            for (int i = 0; i < items.size(); i++) {
                if (name.equals(map(items.get(i)).get("name"))) {
                    return i;
                }
            }
            return -1;
        }
    }

    // ---------------------------------------------------------------- the app's own files

    private static Map<String, Object> applicationYaml() {
        return loadYaml(ROOT.resolve("application.yaml"));
    }

    /** Env var names application.yaml reads through ${NAME...} placeholders. */
    static Set<String> placeholderEnvVars() {
        Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(read(ROOT.resolve("application.yaml")));
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Resolves ${NAME:default} placeholders (nested defaults too) against the container's literal env. */
    /** Replaces references to other application.yaml keys, such as ${crm.routes.dir}, by their values. */
    static String properties(String value) throws IOException {
        Matcher m = Pattern.compile("\\$\\{([a-z][a-z0-9.-]*)}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(str(at(applicationYaml(), m.group(1)))));
        }
        return m.appendTail(out).toString();
    }

    static String resolve(String value, Map<String, String> env) {
        Pattern innermost = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^${}]*))?}");
        String s = value;
        Matcher m;
        while ((m = innermost.matcher(s)).find()) {
            String replacement = env.containsKey(m.group(1)) ? env.get(m.group(1)) : m.group(2) == null ? "" : m.group(2);
            s = s.substring(0, m.start()) + replacement + s.substring(m.end());
        }
        return s;
    }

    private static Set<String> exportedMetrics() {
        return read(ROOT.resolve("src/test/resources/exported-metrics.txt")).lines().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    // ---------------------------------------------------------------- rendered documents

    private static Map<String, Object> deployment(Rendering r) {
        return single(r, "Deployment");
    }

    private static Map<String, Object> container(Rendering r) {
        return list(at(deployment(r), "spec.template.spec.containers")).stream().map(KubernetesManifestsTest::map)
                .filter(c -> APP.equals(c.get("name"))).findFirst().orElseThrow();
    }

    private static Set<String> kinds(Rendering r) {
        return r.docs().stream().map(d -> str(d.get("kind"))).collect(Collectors.toSet());
    }

    private static Set<String> names(Rendering r, String kind) {
        return r.docs().stream().filter(d -> kind.equals(d.get("kind"))).map(d -> str(at(d, "metadata.name")))
                .collect(Collectors.toSet());
    }

    private static Map<String, Object> single(Rendering r, String kind) {
        List<Map<String, Object>> found = r.docs().stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertThat(found).as(kind + " in " + r).hasSize(1);
        return found.get(0);
    }

    private static Map<String, Object> single(Rendering r, String kind, String namePrefix) {
        return r.docs().stream().filter(d -> kind.equals(d.get("kind")) && str(at(d, "metadata.name")).startsWith(namePrefix))
                .findFirst().orElseThrow(() -> new AssertionError(kind + " " + namePrefix + " in " + r));
    }

    private static Map<String, Object> data(Map<String, Object> configMap) {
        return map(configMap.getOrDefault("data", Map.of()));
    }

    private static Set<String> envNames(Map<String, Object> container) {
        return list(container.get("env")).stream().map(e -> str(map(e).get("name"))).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new TreeMap<>();
        list(container.get("env")).stream().map(KubernetesManifestsTest::map).filter(e -> e.get("value") != null)
                .forEach(e -> env.put(str(e.get("name")), str(e.get("value"))));
        return env;
    }

    private static Map<String, Object> envVar(Map<String, Object> container, String name) {
        return list(container.get("env")).stream().map(KubernetesManifestsTest::map).filter(e -> name.equals(e.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("env " + name));
    }

    private static String envValue(Map<String, Object> container, String name) {
        Object value = envVar(container, name).get("value");
        assertThat(value).as("literal value of " + name).isNotNull();
        return str(value);
    }

    private static Map<String, Object> mountAt(Map<String, Object> container, String path) {
        return list(container.get("volumeMounts")).stream().map(KubernetesManifestsTest::map)
                .filter(m -> path.equals(m.get("mountPath"))).findFirst().orElseThrow(() -> new AssertionError("no mount at " + path));
    }

    private static Map<String, Object> volume(Rendering r, String name) {
        return list(at(deployment(r), "spec.template.spec.volumes")).stream().map(KubernetesManifestsTest::map)
                .filter(v -> name.equals(v.get("name"))).findFirst().orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /** The data of the ConfigMap mounted as a whole directory (no subPath: those never see updates) at dir. */
    private static Map<String, Object> mountedConfigMapData(Rendering r, String dir) {
        Map<String, Object> mount = mountAt(container(r), dir);
        assertThat(mount).as("mount at " + dir).doesNotContainKey("subPath").doesNotContainKey("subPathExpr");
        Object configMapName = at(volume(r, str(mount.get("name"))), "configMap.name");
        assertThat(configMapName).as("ConfigMap volume at " + dir).isNotNull();
        assertThat(at(volume(r, str(mount.get("name"))), "configMap.items")).as("all keys mounted").isNull();
        return data(r.docs().stream().filter(d -> "ConfigMap".equals(d.get("kind")) && configMapName.equals(at(d, "metadata.name")))
                .findFirst().orElseThrow(() -> new AssertionError("ConfigMap " + configMapName + " in " + r)));
    }

    // ---------------------------------------------------------------- YAML helpers

    private static List<Map<String, Object>> loadAll(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
            if (doc != null) {
                docs.add(map(doc));
            }
        }
        return docs;
    }

    private static Map<String, Object> loadYaml(Path path) {
        return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(read(path)));
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value at a dotted path of nested maps, or null. */
    static Object at(Map<String, Object> root, String dotted) {
        Object current = root;
        for (String key : dotted.split("\\.")) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? new LinkedHashMap<>() : (Map<String, Object>) o;
    }

    private static Map<String, String> stringMap(Object o) {
        Map<String, String> out = new TreeMap<>();
        map(o).forEach((k, v) -> out.put(k, str(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    private static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    private static Object first(Object preferred, Object fallback) {
        return preferred != null ? preferred : fallback;
    }

    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("k8s")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no pom.xml with a k8s/ directory above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
