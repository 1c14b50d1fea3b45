// GenConfwrite — writes cases.txt, the reference that confwrite.sh checks
// `flinkmem bash-java-utils UPDATE_AND_GET_FLINK_CONFIGURATION` and
// `MIGRATE_LEGACY_FLINK_CONFIGURATION_TO_STANDARD_YAML` against.
//
// The expected text comes from the real JDK (java.util.HashMap, Properties)
// and the real snakeyaml-engine 2.6 (Flink 1.19-2.x's YAML library: Load
// with the Core schema, Dump in block style without line splitting, and the
// flow dump for single values), driven through the steps Flink's
// configuration loader and writer take as its documentation and source
// describe them (restated here in our own code): flatten every mapping into
// its own HashMap, copy into the configuration's HashMap, -D through
// Properties -> stringPropertyNames -> a HashMap, putAll, the -repKV /
// -rmKV / -rmKey edits (removal takes "key." sub-keys too), then the nested
// dump (first-seen parents, Java's split on '.') or the "key: value" lines
// of a HashMap sized for the entries.
//
// Run by hand with JDK 17 and snakeyaml-engine 2.6 on the class path; CI
// needs neither:
//   java -cp snakeyaml-engine-2.6.jar tests/conformance/confwrite/GenConfwrite.java \
//     > tests/conformance/confwrite/cases.txt
// Seeded, so the output is reproducible.
import java.util.*;

import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.schema.CoreSchema;

public class GenConfwrite {
    static final Random R = new Random(20261206L);
    static final DumpSettings BLOCK = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK)
            .setSplitLines(false).setSchema(new CoreSchema()).build();
    static final DumpSettings FLOW = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.FLOW)
            .setSplitLines(false).setSchema(new CoreSchema()).build();
    static final Load LOAD = new Load(LoadSettings.builder().setSchema(new CoreSchema()).build());

    static final String[] SEG = {"taskmanager", "jobmanager", "memory", "process", "size", "rpc", "address",
        "port", "env", "java", "opts", "all", "rest", "bind-address", "numberOfTaskSlots", "parallelism",
        "default", "state", "backend", "s3", "access-key", "high-availability", "storageDir", "metrics",
        "reporter", "prom", "factory.class", "heap", "network", "fraction", "min", "max", "blob", "server",
        "kubernetes", "cluster-id", "pipeline", "name", "a", "b", "c", "x1", "security", "ssl", "password",
        "execution", "checkpointing", "interval", "web", "upload.dir", "io", "tmp.dirs", "yarn", "x.y"};
    static final String[] STR = {"1728m", "localhost", "4", "-4", "+4", "1.5", ".5", "1.", "1e3", "1E-3",
        "0x1F", "0o17", "0x", "true", "True", "TRUE", "false", "yes", "no", "on", "null", "Null", "NULL", "~",
        "", " ", "*", "&a", "!x", "|", ">", "%x", "@x", "`x", "'q'", "\"dq\"", "it's", "a: b", "a:b", "a :b",
        "http://h:1/p", "#x", "a #b", "a#b", " lead", "trail ", "-", "-x", "- x", "?", "?x", "? x", ":x", ": x",
        "[a, b]", "{a: 1}", "a,b", "a, b", "a]", "---", "--- x", "...", "...x", "${HOME}", "${A:-b}",
        "${ A }", "$x", "C:\\path\\x", "tab\there", "cr\rx", "\u00e9t\u00e9", "\u65e5\u672c",
        "\ud83d\ude00", "nbsp\u00a0x", "-Xmx1g -XX:+UseG1GC", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "a\\b", "a\"b", "s3://bucket/path", ".inf", "-.inf", ".nan", ".NaN", "1_000", "0.1.2", "+.5",
        "=x", "a=b", "%", "x: ", "a\u0007b", "line1\nline2", "two\nlines\n", " lead\nx", "trail \nx", "a\n\nb\n\n"};

    static Object randValue(boolean fileValue) {
        int k = R.nextInt(10);
        if (k == 0) return R.nextInt(100000) - 50;
        if (k == 1) return R.nextBoolean() ? (long) R.nextInt(1000) * 10000000000L : 1 + R.nextInt(8);
        if (k == 2) return new double[] {1.5, 0.1, 1e10, 2.0, -0.0, 123456.789, 1e-5, Double.POSITIVE_INFINITY}[R.nextInt(8)];
        if (k == 3) return R.nextBoolean();
        if (k == 4) return Arrays.asList("a", R.nextInt(9), "b c");
        String s = STR[R.nextInt(STR.length)];
        if (!fileValue && s.contains("\n")) s = "one line";
        return s;
    }

    static String randKey(int depthMax) {
        int d = 1 + R.nextInt(depthMax);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < d; i++) {
            if (i > 0) b.append('.');
            b.append(SEG[R.nextInt(SEG.length)]);
        }
        return b.toString();
    }

    /* A document: nested maps whose keys may themselves hold dots. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> randDoc(int n) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> cur = root;
            int depth = R.nextInt(4);
            for (int d = 0; d < depth; d++) {
                String seg = SEG[R.nextInt(SEG.length)];
                Object o = cur.get(seg);
                if (!(o instanceof Map)) {
                    if (o != null) break;
                    o = new LinkedHashMap<String, Object>();
                    cur.put(seg, o);
                }
                cur = (Map<String, Object>) o;
            }
            String k = randKey(2);
            if (!(cur.get(k) instanceof Map)) cur.put(k, randValue(true));
        }
        return root;
    }

    /* GlobalConfiguration's flatten: a HashMap per mapping; lists become their flow dump. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> flatten(Map<String, Object> m, String prefix) {
        Map<String, Object> out = new HashMap<>();
        m.forEach((k, v) -> {
            String key = prefix + k;
            if (v instanceof Map) out.putAll(flatten((Map<String, Object>) v, key + "."));
            else if (v instanceof List) out.put(key, flowString(v));
            else out.put(key, v);
        });
        return out;
    }

    static String flowString(Object v) {
        String s = new Dump(FLOW).dumpToString(v);
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    static int requiredCapacity(int n) { return n <= 2 ? n + 1 : (int) Math.ceil(n / 0.75f); }

    static List<String> nestedLines(Map<String, Object> conf) {
        Map<String, Object> nested = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : conf.entrySet()) {
            String[] ks = e.getKey().split("\\.");
            Map<String, Object> cur = nested;
            for (int i = 0; i < ks.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> next = (Map<String, Object>) cur.computeIfAbsent(ks[i], x -> new LinkedHashMap<>());
                cur = next;
            }
            cur.put(ks[ks.length - 1], e.getValue());
        }
        return Arrays.asList(new Dump(BLOCK).dumpToString(nested).split("\n"));
    }

    static List<String> flatLines(Map<String, Object> conf, boolean yamlValues) {
        Map<String, String> w = new HashMap<>(requiredCapacity(conf.size()), 0.75f);
        conf.forEach((k, v) -> w.put(k, yamlValues ? flowString(v) : String.valueOf(v)));
        List<String> out = new ArrayList<>();
        w.forEach((k, v) -> out.add(k + ": " + v));
        return out;
    }

    static String asString(Object v) {
        if (v instanceof String) return (String) v;
        return flowString(v);
    }

    static void removeKey(Map<String, Object> conf, String key) {
        conf.remove(key);
        conf.keySet().removeIf(c -> c.startsWith(key + "."));
    }

    static final StringBuilder OUT = new StringBuilder();
    static int id = 0;

    static void emit(String version, String file, String text, List<String> args, List<String> expect) {
        OUT.append("=== ").append(++id).append(' ').append(version).append(' ').append(file).append('\n');
        OUT.append("--- file\n").append(text);
        if (!text.endsWith("\n")) OUT.append('\n');
        OUT.append("--- args\n");
        for (String a : args) OUT.append(a).append('\n');
        OUT.append("--- expect\n");
        for (String e : expect) OUT.append(e).append('\n');
    }

    /* A legacy flink-conf.yaml: "key: value" lines (no comments, no empty
     * values), each also put into `into` in line order. */
    static String legacyText(Map<String, Object> into) {
        StringBuilder b = new StringBuilder();
        int n = 1 + R.nextInt(12);
        for (int i = 0; i < n; i++) {
            String v = STR[R.nextInt(STR.length)].trim();
            if (v.isEmpty() || v.contains("#") || v.contains("\n") || v.contains("\r")) v = "v" + i;
            String k = randKey(4);
            b.append(k).append(": ").append(v).append('\n');
            into.put(k, v);
        }
        return b.toString();
    }

    static void updateCase(String version, boolean legacy) {
        Map<String, Object> conf = new HashMap<>();
        String text;
        if (legacy) {
            text = legacyText(conf);
        } else {
            Map<String, Object> doc = randDoc(1 + R.nextInt(14));
            text = new Dump(BLOCK).dumpToString(doc);
            @SuppressWarnings("unchecked")
            Map<String, Object> back = (Map<String, Object>) LOAD.loadFromString(text);
            if (back == null) back = new LinkedHashMap<>();
            flatten(back, "").forEach(conf::put);
        }
        List<String> args = new ArrayList<>();
        List<String> expect = new ArrayList<>();
        conf.forEach((k, v) -> expect.add("Loading configuration property: " + k + ", " + hide(k, v)));
        Properties props = new Properties();
        int nd = R.nextInt(5);
        List<String> keys = new ArrayList<>(conf.keySet());
        for (int i = 0; i < nd; i++) {
            String k = !keys.isEmpty() && R.nextInt(3) == 0 ? keys.get(R.nextInt(keys.size())) : randKey(3);
            Object v = randValue(false);
            String vs = v instanceof String ? (String) v : String.valueOf(v);
            if (vs.contains("\n") || vs.contains("\r")) vs = "dyn";
            args.add("-D" + k + "=" + vs);
            props.setProperty(k, vs);
        }
        Map<String, Object> dyn = new HashMap<>();
        for (String name : props.stringPropertyNames()) dyn.put(name, props.getProperty(name));
        dyn.forEach((k, v) -> expect.add("Loading dynamic configuration property: " + k + ", " + hide(k, v)));
        conf.putAll(dyn);
        keys = new ArrayList<>(conf.keySet());
        if (!keys.isEmpty() && R.nextInt(3) == 0) {
            String k = keys.get(R.nextInt(keys.size()));
            String old = R.nextBoolean() ? asString(conf.get(k)) : "nomatch";
            if (!old.contains(",") && !k.contains(",")) {
                args.add("-repKV");
                args.add(k + "," + old + ",new,value");
                if (old.equals(asString(conf.get(k)))) conf.put(k, "new,value");
            }
        }
        if (!keys.isEmpty() && R.nextInt(3) == 0) {
            String k = keys.get(R.nextInt(keys.size()));
            if (conf.containsKey(k) && !k.contains("=")) {
                String v = R.nextBoolean() ? asString(conf.get(k)) : "nomatch";
                args.add("-rmKV");
                args.add(k + "=" + v);
                if (v.equals(asString(conf.get(k)))) removeKey(conf, k);
            }
        }
        if (!keys.isEmpty() && R.nextInt(3) == 0) {
            String k = keys.get(R.nextInt(keys.size()));
            if (R.nextBoolean() && k.contains(".")) k = k.substring(0, k.indexOf('.'));
            args.add("-rmKey");
            args.add(k);
            removeKey(conf, k);
        }
        boolean flatten = R.nextInt(3) == 0;
        if (flatten) args.add("-flatten");
        List<String> lines;
        try {
            lines = legacy ? flatLines(conf, false) : flatten ? flatLines(conf, true) : nestedLines(conf);
        } catch (ClassCastException e) {
            lines = List.of("EXCEPTION java.lang.ClassCastException");
        }
        for (String l : lines) expect.add("RESULT " + l);
        emit(version, legacy ? "flink-conf.yaml" : "config.yaml", text, args, expect);
    }

    static void migrateCase(String version) {
        Map<String, Object> lines = new LinkedHashMap<>();
        String text = legacyText(lines);
        Map<String, Object> legacy = new HashMap<>();
        lines.forEach(legacy::put);
        Map<String, Object> std = new HashMap<>();
        if (version.equals("2.2")) legacy.forEach(std::put);
        else std.putAll(legacy);
        List<String> expect = new ArrayList<>();
        try {
            for (String l : nestedLines(std)) expect.add("RESULT " + l);
        } catch (ClassCastException e) {
            expect = List.of("RESULT EXCEPTION java.lang.ClassCastException");
        }
        emit(version, "migrate-flink-conf.yaml", text, List.of(), expect);
    }

    static final String[] SENSITIVE = {"password", "secret", "fs.azure.account.key", "apikey", "auth-params",
        "service-key", "token", "basic-auth", "jaas.config", "http-headers"};

    static String hide(String k, Object v) {
        String low = k.toLowerCase();
        for (String s : SENSITIVE) if (low.contains(s)) return "******";
        return String.valueOf(v);
    }

    public static void main(String[] a) {
        for (int i = 0; i < 120; i++) updateCase(i % 2 == 0 ? "2.2" : "1.20", false);
        for (int i = 0; i < 30; i++) updateCase("1.20", true);
        for (int i = 0; i < 20; i++) migrateCase(i % 2 == 0 ? "2.2" : "1.20");
        System.out.print(OUT);
    }
}
