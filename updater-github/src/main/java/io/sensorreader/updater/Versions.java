package io.sensorreader.updater;

import java.util.ArrayList;
import java.util.List;

/**
 * Orders release tags as people mean them: {@code v1.10.0} after {@code v1.9.2}, {@code 1.0.0-rc1}
 * before {@code 1.0.0}. A leading {@code v} is ignored; numbers compare as numbers, other parts as
 * text; a tag with a pre-release part ({@code -...}) sorts before the same tag without it.
 */
final class Versions {

    private Versions() {
    }

    static int compare(String a, String b) {
        String[] ma = split(strip(a));
        String[] mb = split(strip(b));
        int c = compareParts(parts(ma[0]), parts(mb[0]));
        if (c != 0) {
            return c;
        }
        if (ma[1].isEmpty() || mb[1].isEmpty()) {
            return ma[1].isEmpty() == mb[1].isEmpty() ? 0 : ma[1].isEmpty() ? 1 : -1;
        }
        return compareParts(parts(ma[1]), parts(mb[1]));
    }

    private static String strip(String tag) {
        String t = tag.startsWith("v") || tag.startsWith("V") ? tag.substring(1) : tag;
        int plus = t.indexOf('+');
        return plus >= 0 ? t.substring(0, plus) : t;
    }

    /** The release part and the pre-release part (after the first '-'). */
    private static String[] split(String t) {
        int dash = t.indexOf('-');
        return dash < 0 ? new String[] {t, ""} : new String[] {t.substring(0, dash), t.substring(dash + 1)};
    }

    private static List<String> parts(String text) {
        List<String> parts = new ArrayList<>();
        for (String piece : text.split("[.-]")) {
            // "rc10" -> "rc", "10"
            for (String p : piece.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)")) {
                if (!p.isEmpty()) {
                    parts.add(p);
                }
            }
        }
        return parts;
    }

    private static int compareParts(List<String> a, List<String> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String x = i < a.size() ? a.get(i) : "0";
            String y = i < b.size() ? b.get(i) : "0";
            boolean xn = x.chars().allMatch(Character::isDigit);
            boolean yn = y.chars().allMatch(Character::isDigit);
            int c;
            if (xn && yn) {
                c = new java.math.BigInteger(x).compareTo(new java.math.BigInteger(y));
            } else if (xn != yn) {
                c = xn ? 1 : -1;
            } else {
                c = x.compareTo(y);
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
