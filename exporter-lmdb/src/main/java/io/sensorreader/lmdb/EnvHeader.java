package io.sensorreader.lmdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Checks an LMDB data file against its own header before LMDB maps it. LMDB trusts the file: a
 * page number beyond the end of a truncated file is touched through the map and the JVM dies of a
 * bus error. So both meta pages (pages 0 and 1) are read with plain file I/O and checked: the
 * magic and version, one page size (a power of two, 512 to 64 KiB), the last page and the main
 * database's root within the file, and the root page being a branch or leaf page that names
 * itself. 64-bit and 32-bit (armhf) layouts are both understood; the file's byte order is the
 * machine's (little-endian on every device this runs on).
 */
final class EnvHeader {

    private static final int MAGIC = 0xBEEFC0DE;
    private static final int DATA_VERSION = 1;
    private static final short P_BRANCH = 0x01;
    private static final short P_LEAF = 0x02;
    private static final short P_META = 0x08;

    /** What the header tells, when it is sound. */
    record Info(int pageSize, long lastPage, long entries, long txnId) {
    }

    /** Why a file cannot be used; {@code entries} is what its header claims, -1 when unknown. */
    record Problem(String reason, long entries) {
    }

    private EnvHeader() {
    }

    /** Empty when the file looks sound, else why not. */
    static Optional<Problem> check(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                return Optional.of(new Problem("it is empty (0 bytes), not an LMDB file", 0));
            }
            ByteBuffer first = read(ch, 0, (int) Math.min(size, 4096));
            Layout layout = Layout.detect(first);
            if (layout == null) {
                return Optional.of(new Problem("its first page is not an LMDB meta page (bad magic or flags)", -1));
            }
            Meta m0 = layout.meta(first);
            if (m0.pageSize < 512 || m0.pageSize > 65536 || Integer.bitCount(m0.pageSize) != 1) {
                return Optional.of(new Problem("its header gives a page size of " + m0.pageSize
                        + "; expected a power of two from 512 to 65536", -1));
            }
            int ps = m0.pageSize;
            if (size < 2L * ps) {
                return Optional.of(new Problem("it is " + size + " bytes, shorter than its two meta pages ("
                        + 2L * ps + ")", m0.entries));
            }
            ByteBuffer second = read(ch, ps, Math.min(ps, 4096));
            if (layout.flags(second) != P_META || layout.magic(second) != MAGIC) {
                return Optional.of(new Problem("its second meta page (at byte " + ps + ") is damaged", m0.entries));
            }
            Meta m1 = layout.meta(second);
            if (m1.version != DATA_VERSION || m0.version != DATA_VERSION) {
                return Optional.of(new Problem("its data format version is " + m0.version + "/" + m1.version
                        + "; expected " + DATA_VERSION, -1));
            }
            Meta newest = m1.txnId > m0.txnId ? m1 : m0;
            long pages = size / ps;
            for (Meta m : new Meta[] {m0, m1}) {
                if (m.lastPage < 1 || m.lastPage >= pages) {
                    return Optional.of(new Problem("it is " + size + " bytes (" + pages + " pages of " + ps
                            + ") but its header says the last page is " + m.lastPage
                            + " (truncated?)", newest.entries));
                }
            }
            if (newest.root != layout.invalidPage()) {
                if (newest.root < 2 || newest.root > newest.lastPage) {
                    return Optional.of(new Problem("its main database's root page " + newest.root
                            + " is outside pages 2 to " + newest.lastPage, newest.entries));
                }
                ByteBuffer root = read(ch, newest.root * ps, Math.min(ps, 64));
                long pgno = layout.pageNumber(root);
                short flags = (short) (layout.flags(root) & (P_BRANCH | P_LEAF));
                if (pgno != newest.root || flags == 0) {
                    return Optional.of(new Problem("its main database's root page " + newest.root
                            + " is not a branch or leaf page naming itself", newest.entries));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(new Problem("it cannot be read: " + e.getMessage(), -1));
        }
    }

    /** The number of records the header of a sound file claims, -1 when unknown. */
    static long entries(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer first = read(ch, 0, (int) Math.min(ch.size(), 4096));
            Layout layout = Layout.detect(first);
            return layout == null ? -1 : layout.meta(first).entries;
        } catch (IOException e) {
            return -1;
        }
    }

    private static ByteBuffer read(FileChannel ch, long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                break;
            }
        }
        return b.flip();
    }

    private record Meta(int version, int pageSize, long entries, long root, long lastPage, long txnId) {
    }

    /** Where the fields sit: {@code pgno_t} and {@code size_t} are 8 bytes on 64-bit, 4 on 32-bit. */
    private record Layout(int word) {

        static Layout detect(ByteBuffer page) {
            for (int word : new int[] {8, 4}) {
                Layout l = new Layout(word);
                if (page.limit() >= l.metaEnd() && l.flags(page) == P_META && l.magic(page) == MAGIC) {
                    return l;
                }
            }
            return null;
        }

        int headerSize() {
            return word + 8; // pgno, pad(2), flags(2), lower(2), upper(2)
        }

        int dbSize() {
            return 8 + 5 * word; // pad(4), flags(2), depth(2), branch, leaf, overflow, entries, root
        }

        int metaEnd() {
            return headerSize() + 8 + 2 * word + 2 * dbSize() + 2 * word;
        }

        long word(ByteBuffer b, int at) {
            return word == 8 ? b.getLong(at) : Integer.toUnsignedLong(b.getInt(at));
        }

        long invalidPage() {
            return word == 8 ? -1L : 0xFFFFFFFFL;
        }

        long pageNumber(ByteBuffer b) {
            return b.limit() < word ? -2 : word(b, 0);
        }

        short flags(ByteBuffer b) {
            return b.limit() < word + 4 ? 0 : b.getShort(word + 2);
        }

        int magic(ByteBuffer b) {
            return b.limit() < headerSize() + 4 ? 0 : b.getInt(headerSize());
        }

        Meta meta(ByteBuffer b) {
            int m = headerSize();
            int version = b.getInt(m + 4);
            int dbs = m + 8 + 2 * word; // after magic, version, address, mapsize
            int pageSize = b.getInt(dbs); // the free database's md_pad holds the page size
            int main = dbs + dbSize();
            long entries = word(b, main + 8 + 3 * word);
            long root = word(b, main + 8 + 4 * word);
            int after = dbs + 2 * dbSize();
            long lastPage = word(b, after);
            long txnId = word(b, after + word);
            return new Meta(version, pageSize, entries, root, lastPage, txnId);
        }
    }
}
