// GenJavanum — writes javanum.tsv, the JDK reference table test_javanum
// checks lib/javanum.c against. Run by hand with JDK 17 (the Flink vectors'
// runtime); CI does not need a JVM:
//   java tests/unit/data/GenJavanum.java > tests/unit/data/javanum.tsv
// Seeded, so the output is reproducible for a given JDK.
import java.math.BigDecimal;
import java.util.Random;

public class GenJavanum {
    static final Random R = new Random(20261130L);

    static String hex(long v) { return String.format("%016x", v); }
    static String hex(int v) { return String.format("%08x", v); }

    /* Bytes outside printable ASCII (and the tab/backslash) as \xHH. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f || c == '\\' || c > 0x7e) b.append(String.format("\\x%02X", (int) c & 0xff));
            else b.append(c);
        }
        return b.toString();
    }

    static String nfeKind(NumberFormatException e) {
        String m = String.valueOf(e.getMessage());
        if (m.equals("empty String")) return "NFE:EMPTY";
        if (m.equals("multiple points")) return "NFE:POINTS";
        return "NFE:INPUT";
    }

    static double anyDouble() {
        switch (R.nextInt(4)) {
            case 0: return Double.longBitsToDouble(R.nextLong());
            case 1: return R.nextDouble() * Math.pow(10, R.nextInt(40) - 20);
            case 2: return (double) (float) (R.nextDouble() * Math.pow(10, R.nextInt(20) - 10));
            default: return (double) R.nextInt(100000) / Math.pow(10, R.nextInt(8));
        }
    }

    static String digits(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append((char) ('0' + R.nextInt(10)));
        return b.toString();
    }

    /* Inputs in and around Java's floating-point grammar. */
    static String anyInput() {
        String[] fixed = {"", " ", "0", "-0", "+0.0", "1", "0.1", "0.4", ".5", "5.", ".", "-.", "1e", "1e+",
            "NaN", "-NaN", "Infinity", "-Infinity", "+Infinity", "infinity", "0x10", "0x1p4", "0x1.8p1",
            "0X.8P0", "0x1P-1074", "0x1p-1075", "1.2.3", "1.2.3x", "1..2", "1f", "1d", "1F ", "1e40",
            "1e-50", "3.4028235e38", "3.4028236e38", "1.4e-45", "7e-46", "2g", "40%", "0,5", "1_0",
            "\t0.25\n", "\u00000.5", "0.5\u0000", "1e2147483648", "1e-2147483649", "0.0000001e7",
            "4.9e-324", "2.4703282292062328e-324", "1.7976931348623157e308", "1.7976931348623159e308"};
        switch (R.nextInt(6)) {
            case 0: return fixed[R.nextInt(fixed.length)];
            case 1: return digits(1 + R.nextInt(3)) + "." + digits(1 + R.nextInt(6));
            case 2: return (R.nextBoolean() ? "-" : "") + digits(1 + R.nextInt(20)) + "e" + (R.nextInt(700) - 350);
            case 3: return "0x" + Integer.toHexString(R.nextInt()) + "p" + (R.nextInt(300) - 150);
            case 4: {
                StringBuilder b = new StringBuilder(digits(1 + R.nextInt(4)));
                String junk = " .eE+-xXpPfFdD0123456789";
                for (int i = R.nextInt(4); i > 0; i--)
                    b.insert(R.nextInt(b.length() + 1), junk.charAt(R.nextInt(junk.length())));
                return b.toString();
            }
            default: return "0." + digits(1 + R.nextInt(25));
        }
    }

    public static void main(String[] args) {
        StringBuilder out = new StringBuilder();
        out.append("# javanum reference table, generated with OpenJDK ").append(System.getProperty("java.version"))
           .append(" by GenJavanum.java (do not edit by hand).\n");
        out.append("# D bits Double.toString | F bits Float.toString | B bits unscaled exp10 of BigDecimal.valueOf(double)\n");
        out.append("# P input(\\xHH escapes) Float.parseFloat-bits-or-NFE:kind Double.parseDouble-bits-or-NFE:kind\n");
        for (int i = 0; i < 12000; i++) {
            double d = anyDouble();
            out.append("D\t").append(hex(Double.doubleToRawLongBits(d))).append('\t').append(Double.toString(d)).append('\n');
        }
        for (int i = 0; i < 3000; i++) {
            float f = i % 2 == 0 ? Float.intBitsToFloat(R.nextInt()) : (float) anyDouble();
            out.append("F\t").append(hex(Float.floatToRawIntBits(f))).append('\t').append(Float.toString(f)).append('\n');
        }
        for (int i = 0; i < 3000; i++) {
            double d = i % 2 == 0 ? (double) (float) anyDouble() : anyDouble();
            if (Double.isNaN(d) || Double.isInfinite(d)) continue;
            BigDecimal b = BigDecimal.valueOf(d);
            out.append("B\t").append(hex(Double.doubleToRawLongBits(d))).append('\t')
               .append(b.unscaledValue().abs()).append('\t').append(-b.scale()).append('\n');
        }
        for (int i = 0; i < 8000; i++) {
            String s = anyInput();
            String fr, dr;
            try { fr = hex(Float.floatToRawIntBits(Float.parseFloat(s))); } catch (NumberFormatException e) { fr = nfeKind(e); }
            try { dr = hex(Double.doubleToRawLongBits(Double.parseDouble(s))); } catch (NumberFormatException e) { dr = nfeKind(e); }
            out.append("P\t").append(esc(s)).append('\t').append(fr).append('\t').append(dr).append('\n');
        }
        System.out.print(out);
    }
}
