/* The compiled fast path of netguard/mail/headers.py (issue 18), for the common shapes only.
 *
 *   fields(raw: bytes) -> dict[str, str] | None         as headers._lean_fields
 *   address_list(folded: str) -> tuple[Address, ...] | None   as headers._lean_address_list
 *   add_row(messages: list, recipients: list | None, uid: int, raw: bytes, fallback,
 *           argument) -> bool
 *       a whole header block to the store's rows (store.messages.Rows.add_values of
 *       headers.parse_values): appends them and returns True, or appends nothing and returns
 *       False for anything it does not read itself (no Message-ID, an odd address, ...); a Date
 *       it cannot read is read by headers._row_time, which asks ``fallback(argument)`` for
 *       INTERNALDATE when it is unusable
 *   gather_recipients(sides, names, new_side, recipients, counted, first) -> None
 *       analysis.first_load's gathering of a batch's recipient rows, as its Python loop does
 *   gather_senders(sides, names, new_side, messages, first) -> None
 *       the same of a received batch's senders
 *   side_rows(address, codes, names, times, ids) -> list
 *       the summary rows of one side of an address, as first_load._rows makes them
 *   scan_fetch(data: bytes, found: list, budget: int, max_literal: int) -> int
 *       netguard/mail/fetch.py's reading of FETCH answers of the usual shape: appends
 *       (uid, internaldate, header block) for each whole one at the start of ``data`` and
 *       returns how many bytes they took (0: the first is not one; fetch.py reads it)
 *
 * None always means "not handled here": headers.py then asks its pure-Python path, which is
 * the reference. So a result that is not None must equal the pure path's result exactly; the
 * tests check that on the corpora and on generated input. Header blocks are hostile input:
 * every read is bounds-checked against the length, nothing is copied into a fixed buffer.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define FIELD_COUNT 16
static PyObject *field_names[FIELD_COUNT]; /* the spellings of headers.FIELDS */
static PyObject *address_type;             /* netguard.model.Address */
static PyObject *decode_text;              /* headers.decode_text */
static PyObject *addr_attr, *name_attr;    /* "addr", "name" */
static int plain_address;                  /* Address's __init__ only sets its two fields */
static PyObject *empty;                    /* "" */

/* Texts made once: an address or a display name recurs in mail after mail (a few thousand
 * people in 100,000s of rows), so each spelling becomes one string, found again by its bytes
 * (and its hash, computed once, is kept in it for the dicts it goes into). ``Kept`` maps the
 * bytes of a text as written to the str made of it. */
typedef struct {
    char *key;          /* the bytes (PyMem), NULL: a free slot */
    Py_ssize_t length;
    uint64_t hash;
    PyObject *value;
} KeptText;

typedef struct {
    KeptText *slots;    /* KEPT_SLOTS of them */
    Py_ssize_t used;
} Kept;

#define KEPT_SLOTS 65536 /* a power of two: 2 MB a table */
#define KEPT_MAX 32768    /* then the table starts over (a load of twice as many stays fast) */
static Kept kept_addresses, kept_names; /* lower-cased address -> str; name as written -> str */
static Kept kept_subjects;              /* Subject as written -> (subject, out of office) */

/* A hash of ``text``, eight bytes at a time, its bits mixed down to the low ones the table's
 * slots are picked by. */
static uint64_t text_hash(const char *text, Py_ssize_t length) {
    uint64_t hash = 0x9E3779B97F4A7C15ULL ^ (uint64_t)length, word;
    Py_ssize_t k = 0;
    for (; k + 8 <= length; k += 8) {
        memcpy(&word, text + k, 8);
        hash = (hash ^ word) * 0xFF51AFD7ED558CCDULL;
        hash ^= hash >> 32;
    }
    word = 0;
    memcpy(&word, text + k, (size_t)(length - k));
    hash = (hash ^ word) * 0xC4CEB9FE1A85EC53ULL;
    return hash ^ (hash >> 29);
}

static void kept_clear(Kept *kept) {
    if (kept->slots == NULL) return;
    for (Py_ssize_t i = 0; i < KEPT_SLOTS; i++) {
        if (kept->slots[i].key == NULL) continue;
        PyMem_Free(kept->slots[i].key);
        Py_DECREF(kept->slots[i].value);
        kept->slots[i].key = NULL;
    }
    kept->used = 0;
}

/* The slot of ``text`` in ``kept``: its entry, or the free slot where it goes (NULL: no
 * memory for the table). */
static KeptText *kept_slot(Kept *kept, const char *text, Py_ssize_t length, uint64_t hash) {
    if (kept->slots == NULL) {
        kept->slots = PyMem_Calloc(KEPT_SLOTS, sizeof(KeptText));
        if (kept->slots == NULL) return NULL;
    }
    for (size_t i = (size_t)hash & (KEPT_SLOTS - 1);; i = (i + 1) & (KEPT_SLOTS - 1)) {
        KeptText *slot = &kept->slots[i];
        if (slot->key == NULL || (slot->hash == hash && slot->length == length &&
                                  memcmp(slot->key, text, (size_t)length) == 0))
            return slot;
    }
}

/* Keep ``value`` (a new reference, consumed) as the text of ``text`` in ``slot`` (free, from
 * ``kept_slot``); returns a new reference to it, NULL (value released) on an error. */
static PyObject *kept_put(Kept *kept, KeptText *slot, const char *text, Py_ssize_t length,
                          uint64_t hash, PyObject *value) {
    if (value == NULL) return NULL;
    if (kept->used >= KEPT_MAX) { /* start over: the slot found is free again then */
        kept_clear(kept);
        slot = kept_slot(kept, text, length, hash);
    }
    char *key = PyMem_Malloc(length > 0 ? (size_t)length : 1);
    if (key == NULL) {
        Py_DECREF(value);
        return PyErr_NoMemory();
    }
    memcpy(key, text, (size_t)length);
    slot->key = key;
    slot->length = length;
    slot->hash = hash;
    slot->value = Py_NewRef(value);
    kept->used++;
    return value;
}

/* Address(addr, name): a frozen dataclass whose __init__ sets two slots through
 * object.__setattr__; done here the same way, without the two calls of that __init__. */
static PyObject *new_address(PyObject *addr, PyObject *name) {
    if (!plain_address) return PyObject_CallFunctionObjArgs(address_type, addr, name, NULL);
    PyTypeObject *type = (PyTypeObject *)address_type;
    PyObject *address = type->tp_alloc(type, 0);
    if (address == NULL) return NULL;
    if (PyObject_GenericSetAttr(address, addr_attr, addr) < 0 ||
        PyObject_GenericSetAttr(address, name_attr, name) < 0) {
        Py_DECREF(address);
        return NULL;
    }
    return address;
}

/* What each byte can be, as bits: a table filled once (``fill_classes``). */
enum { C_NAME = 1, C_ATOM = 4, C_DOMAIN = 8, C_ID_END = 16 };
static unsigned char classes[256];

static void fill_classes(void) {
    for (int c = 0; c < 256; c++) {
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        classes[c] = (unsigned char)(
            (c >= 0x21 && c <= 0x7E && c != ':' ? C_NAME : 0) |          /* [!-9;-~] */
            (alnum || (c != 0 && strchr("!#$%&'*+/=?^_`{|}~-", c)) ? C_ATOM : 0) |
            (alnum || c == '-' ? C_DOMAIN : 0) |
            /* what ends a message id's text: < > or white space (is_white) */
            (c == '<' || c == '>' || c == ' ' || (c >= '\t' && c <= '\r') ? C_ID_END : 0));
    }
}

/* [!-9;-~]: a character of a field name */
static int is_name(unsigned char c) { return classes[c] & C_NAME; }
static int is_space(unsigned char c) { return c == ' ' || c == '\t'; }
static int is_atom(char c) { return classes[(unsigned char)c] & C_ATOM; }
static int is_domain(char c) { return classes[(unsigned char)c] & C_DOMAIN; }

/* headers.FIELDS, in its order (configure() checks that they agree). */
static const char *const FIELD_SPELLING[FIELD_COUNT] = {
    "Message-ID", "In-Reply-To", "References", "Date", "From", "To", "Cc", "Subject",
    "Auto-Submitted", "X-Autoreply", "X-Autorespond", "Precedence", "List-Id", "Content-Type",
    "List-Unsubscribe", "Feedback-ID",
};
enum {
    F_MESSAGE_ID, F_IN_REPLY_TO, F_REFERENCES, F_DATE, F_FROM, F_TO, F_CC, F_SUBJECT,
    F_AUTO_SUBMITTED, F_X_AUTOREPLY, F_X_AUTORESPOND, F_PRECEDENCE, F_LIST_ID, F_CONTENT_TYPE,
    F_LIST_UNSUBSCRIBE, F_FEEDBACK_ID,
};

/* Whether ``text[0:length]`` equals the ASCII ``lower`` (lower-case) in any case. */
static int equals_lower(const char *text, Py_ssize_t length, const char *lower) {
    Py_ssize_t k = 0;
    for (; k < length && lower[k] != '\0'; k++)
        if (Py_TOLOWER((unsigned char)text[k]) != (unsigned char)lower[k]) return 0;
    return k == length && lower[k] == '\0';
}

/* Whether ``text[0:length]`` equals ``known`` in any case. */
static int same_name(const char *text, Py_ssize_t length, const char *known) {
    Py_ssize_t k = 0;
    for (; k < length && known[k] != '\0'; k++)
        if (Py_TOLOWER((unsigned char)text[k]) != Py_TOLOWER((unsigned char)known[k])) return 0;
    return k == length && known[k] == '\0';
}

/* The FIELDS entry spelled ``name`` in any case, or -1. */
static int field_index(const char *name, Py_ssize_t length) {
    static const Py_ssize_t lengths[FIELD_COUNT] = {10, 11, 10, 4, 4, 2, 2, 7, 14, 11, 13, 10, 7,
                                                   12, 16, 11};
    for (int i = 0; i < FIELD_COUNT; i++)
        if (lengths[i] == length && same_name(name, length, FIELD_SPELLING[i])) return i;
    return -1;
}

/* One value of the block into ``buffer``: tabs as spaces, folds (CRLF or LF, then a space) as
 * "\n ". Returns its length. */
static Py_ssize_t field_value(const char *data, Py_ssize_t start, Py_ssize_t end, char *buffer) {
    Py_ssize_t size = 0;
    while (start < end) { /* a CR is inside a value only before the LF of a fold */
        const char *cr = memchr(data + start, '\r', (size_t)(end - start));
        Py_ssize_t stop = cr != NULL ? cr - data : end;
        memcpy(buffer + size, data + start, (size_t)(stop - start));
        size += stop - start;
        start = stop + 1;
    }
    for (char *tab = memchr(buffer, '\t', (size_t)size); tab != NULL;
         tab = memchr(tab, '\t', (size_t)(buffer + size - tab)))
        *tab = ' ';
    return size;
}

/* Whether every byte of ``s[0:n]`` is text, [ -~] or a tab (read as a space: the pure path
 * replaces tabs before it splits): eight bytes at a time, and byte by byte only where a word
 * has a byte under a space (a tab, or not text) or over ``~``. */
static int all_text(const unsigned char *s, Py_ssize_t n) {
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    Py_ssize_t k = 0;
    for (; k + 8 <= n; k += 8) {
        uint64_t word;
        memcpy(&word, s + k, 8);
        uint64_t under_space = (word - ones * 0x20) & ~word & highs; /* some byte < 0x20 */
        uint64_t over_tilde = ((word + ones) | word) & highs;       /* some byte > 0x7E */
        if (under_space | over_tilde) break; /* read again byte by byte, below */
    }
    for (; k < n; k++) {
        unsigned char c = s[k];
        if ((c < 0x20 && c != '\t') || c > 0x7E) return 0;
    }
    return 1;
}

/* The end of the line of text starting at ``i`` (its CR or LF), or -1 when a byte on it is
 * not text (``all_text``; a CR only right before the LF) or no line end follows. */
static Py_ssize_t line_end(const unsigned char *p, Py_ssize_t n, Py_ssize_t i) {
    const unsigned char *lf = memchr(p + i, '\n', (size_t)(n - i));
    if (lf == NULL) return -1;
    Py_ssize_t end = lf - p;
    if (end > i && p[end - 1] == '\r') end--;
    return all_text(p + i, end - i) ? end : -1;
}

/* Where the field starting at ``pos`` ends (after its line end), or -1 when none starts there;
 * ``name_end``, ``value_start`` and ``value_end`` are set when it does. */
static Py_ssize_t match_field(const unsigned char *p, Py_ssize_t n, Py_ssize_t pos,
                              Py_ssize_t *name_end, Py_ssize_t *value_start,
                              Py_ssize_t *value_end) {
    Py_ssize_t i = pos;
    while (i < n && is_name(p[i])) i++;
    if (i == pos || i >= n || p[i] != ':') return -1;
    *name_end = i++;
    while (i < n && is_space(p[i])) i++;
    *value_start = i;
    for (;;) {
        Py_ssize_t end = line_end(p, n, i);
        if (end < 0) return -1;
        Py_ssize_t lf = p[end] == '\r' ? end + 1 : end;
        if (lf + 1 < n && is_space(p[lf + 1])) { /* a fold: the value goes on */
            i = lf + 2;
            continue;
        }
        *value_end = end;
        return lf + 1;
    }
}

static int configured(void) {
    if (address_type != NULL) return 1;
    PyErr_SetString(PyExc_RuntimeError, "configure() first (netguard.mail.headers does)");
    return 0;
}

/* A value of FIELDS found in the block: ``buffer[start:end]``; ``start`` -1 when absent. */
typedef struct {
    Py_ssize_t start, end;
} Span;

/* From, To and Cc: the stdlib path reads every occurrence of them (``get_all``). */
static int is_address_field(int known) {
    return known == F_FROM || known == F_TO || known == F_CC;
}

/* Every value of the field ``known`` among the fields of ``p[0:end]`` (split as split_fields
 * splits them) into ``buffer``, joined by ", " as the stdlib path's getaddresses joins them
 * (headers._known). Returns the length. */
static Py_ssize_t joined_values(const unsigned char *p, Py_ssize_t n, Py_ssize_t end, int known,
                                char *buffer) {
    Py_ssize_t pos = 0, size = 0;
    int first = 1;
    while (pos < end) {
        Py_ssize_t name_end, value_start, value_end;
        Py_ssize_t next = match_field(p, n, pos, &name_end, &value_start, &value_end);
        if (field_index((const char *)p + pos, name_end - pos) == known) {
            if (!first) {
                buffer[size++] = ',';
                buffer[size++] = ' ';
            }
            size += field_value((const char *)p, value_start, value_end, buffer + size);
            first = 0;
        }
        pos = next;
    }
    return size;
}

/* The FIELDS of a plain header block ``p[0:n]`` (as headers._lean_fields reads it), their
 * values copied into ``buffer`` (``n`` bytes at least). 1 when read, 0 when declined.
 * A field that occurs twice reads as headers._known reads it: From, To and Cc all their
 * values joined, any other its first value (the ", " between two values takes less room than
 * the second name, colon and line end: the values still fit in ``n`` bytes). */
static int split_fields(const unsigned char *p, Py_ssize_t n, char *buffer, Span *spans) {
    /* Every byte up to ``pos`` is one match_field accepts (printable ASCII, tabs, line ends)
     * and at most a blank line follows: a block with other bytes is declined. */
    Span raw[FIELD_COUNT]; /* the first value of each field, in ``p`` */
    int repeated = 0;      /* a bit for each address field that occurs again */
    for (int i = 0; i < FIELD_COUNT; i++) raw[i].start = raw[i].end = -1;
    Py_ssize_t pos = 0, used = 0;
    while (pos < n) {
        Py_ssize_t name_end, value_start, value_end;
        Py_ssize_t end = match_field(p, n, pos, &name_end, &value_start, &value_end);
        if (end < 0) break;
        int known = field_index((const char *)p + pos, name_end - pos);
        if (known >= 0 && raw[known].start < 0) {
            raw[known].start = value_start;
            raw[known].end = value_end;
        } else if (known >= 0 && is_address_field(known)) {
            repeated |= 1 << known;
        }
        pos = end;
    }
    Py_ssize_t rest = n - pos; /* the blank line that ends the block, or nothing */
    if (!(rest == 0 || (rest == 1 && p[pos] == '\n') ||
          (rest == 2 && p[pos] == '\r' && p[pos + 1] == '\n')))
        return 0;
    for (int i = 0; i < FIELD_COUNT; i++) {
        spans[i].start = raw[i].start < 0 ? -1 : used;
        if (raw[i].start >= 0)
            used += repeated & (1 << i)
                        ? joined_values(p, n, pos, i, buffer + used)
                        : field_value((const char *)p, raw[i].start, raw[i].end, buffer + used);
        spans[i].end = raw[i].start < 0 ? -1 : used;
    }
    return 1;
}

static PyObject *fields(PyObject *self, PyObject *arg) {
    (void)self;
    if (!configured()) return NULL;
    if (!PyBytes_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "fields() needs bytes");
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)PyBytes_AS_STRING(arg);
    Py_ssize_t n = PyBytes_GET_SIZE(arg);
    char *buffer = PyMem_Malloc(n > 0 ? (size_t)n : 1);
    if (buffer == NULL) return PyErr_NoMemory();
    Span spans[FIELD_COUNT];
    if (!split_fields(p, n, buffer, spans)) {
        PyMem_Free(buffer);
        Py_RETURN_NONE;
    }
    PyObject *found = PyDict_New();
    for (int i = 0; found != NULL && i < FIELD_COUNT; i++) {
        if (spans[i].start < 0) continue;
        PyObject *value = PyUnicode_DecodeASCII(buffer + spans[i].start,
                                                spans[i].end - spans[i].start, NULL);
        if (value == NULL || PyDict_SetItem(found, field_names[i], value) < 0) Py_CLEAR(found);
        Py_XDECREF(value);
    }
    PyMem_Free(buffer);
    return found;
}

/* The end of an address (atom(.atom)*@domain(.domain)*) starting at ``i``, or -1. */
static Py_ssize_t match_addr(const char *v, Py_ssize_t n, Py_ssize_t i) {
    if (i >= n || !is_atom(v[i])) return -1;
    while (i < n && is_atom(v[i])) i++;
    while (i + 1 < n && v[i] == '.' && is_atom(v[i + 1])) {
        i++;
        while (i < n && is_atom(v[i])) i++;
    }
    if (i >= n || v[i] != '@') return -1;
    i++;
    if (i >= n || !is_domain(v[i])) return -1;
    while (i < n && is_domain(v[i])) i++;
    while (i + 1 < n && v[i] == '.' && is_domain(v[i + 1])) {
        i++;
        while (i < n && is_domain(v[i])) i++;
    }
    return i;
}

/* After a mailbox: spaces, then a comma or the end. The position after them, or -1. */
static Py_ssize_t match_end(const char *v, Py_ssize_t n, Py_ssize_t i) {
    while (i < n && v[i] == ' ') i++;
    if (i == n) return n;
    return v[i] == ',' ? i + 1 : -1;
}

typedef struct {
    Py_ssize_t name_start, name_end, addr_start, addr_end, end;
} Mailbox;

/* One mailbox at ``pos`` (not a space or comma): ["quoted" | phrase] <addr>, or a bare addr. */
static int match_mailbox(const char *v, Py_ssize_t n, Py_ssize_t pos, Mailbox *m) {
    Py_ssize_t i = pos;
    m->name_start = m->name_end = pos;
    if (v[i] == '"') {
        Py_ssize_t q = i + 1;
        while (q < n && v[q] != '"' && v[q] != '\\') q++;
        if (q >= n || v[q] != '"') return 0;
        m->name_start = i + 1;
        m->name_end = q;
        i = q + 1;
    } else if (is_atom(v[i])) {
        Py_ssize_t q = i;
        for (;;) {
            while (q < n && is_atom(v[q])) q++;
            Py_ssize_t s = q;
            while (s < n && v[s] == ' ') s++;
            if (s < n && is_atom(v[s])) q = s;
            else break;
        }
        m->name_end = q;
        i = q;
    }
    while (i < n && v[i] == ' ') i++;
    if (i < n && v[i] == '<') {
        Py_ssize_t a = match_addr(v, n, i + 1);
        if (a >= 0 && a < n && v[a] == '>' && (m->end = match_end(v, n, a + 1)) >= 0) {
            m->addr_start = i + 1;
            m->addr_end = a;
            return 1;
        }
    }
    if (v[pos] == '"') return 0;
    m->name_start = m->name_end = pos; /* a bare address, no name */
    Py_ssize_t a = match_addr(v, n, pos);
    if (a < 0 || (m->end = match_end(v, n, a)) < 0) return 0;
    m->addr_start = pos;
    m->addr_end = a;
    return 1;
}

/* The display name of a mailbox: decoded (headers.decode_text, quotes stripped) where it
 * has encoded words or odd spaces; one str per spelling (``kept_names``). */
static PyObject *mailbox_name(const char *v, const Mailbox *m) {
    Py_ssize_t length = m->name_end - m->name_start;
    const char *name = v + m->name_start;
    if (length == 0) return Py_NewRef(empty);
    uint64_t hash = text_hash(name, length);
    KeptText *slot = kept_slot(&kept_names, name, length, hash);
    if (slot == NULL) return PyErr_NoMemory();
    if (slot->key != NULL) return Py_NewRef(slot->value);
    int decode = name[0] == ' ' || name[length - 1] == ' ';
    for (Py_ssize_t k = 0; !decode && k + 1 < length; k++)
        decode = (name[k] == '=' && name[k + 1] == '?') || (name[k] == ' ' && name[k + 1] == ' ');
    PyObject *text = PyUnicode_DecodeASCII(name, length, NULL);
    if (text == NULL || !decode) return kept_put(&kept_names, slot, name, length, hash, text);
    PyObject *decoded = PyObject_CallOneArg(decode_text, text);
    Py_DECREF(text);
    PyObject *stripped = decoded != NULL ? PyObject_CallMethod(decoded, "strip", "s", "\"") : NULL;
    Py_XDECREF(decoded);
    /* decode_text may have kept texts itself: the slot is looked up again */
    slot = stripped != NULL ? kept_slot(&kept_names, name, length, hash) : NULL;
    if (stripped != NULL && slot == NULL) {
        Py_DECREF(stripped);
        return PyErr_NoMemory();
    }
    if (slot != NULL && slot->key != NULL) {
        Py_DECREF(stripped);
        return Py_NewRef(slot->value);
    }
    return kept_put(&kept_names, slot, name, length, hash, stripped);
}

/* The address of a mailbox, lower-cased (through ``buffer``); one str per address
 * (``kept_addresses``). */
static PyObject *mailbox_addr(const char *v, const Mailbox *m, char *buffer) {
    Py_ssize_t size = m->addr_end - m->addr_start;
    for (Py_ssize_t k = 0; k < size; k++)
        buffer[k] = (char)Py_TOLOWER((unsigned char)v[m->addr_start + k]);
    uint64_t hash = text_hash(buffer, size);
    KeptText *slot = kept_slot(&kept_addresses, buffer, size, hash);
    if (slot == NULL) return PyErr_NoMemory();
    if (slot->key != NULL) return Py_NewRef(slot->value);
    return kept_put(&kept_addresses, slot, buffer, size, hash,
                    PyUnicode_DecodeASCII(buffer, size, NULL));
}

static PyObject *mailbox_address(const char *v, const Mailbox *m, char *buffer) {
    PyObject *addr = mailbox_addr(v, m, buffer);
    PyObject *name = addr != NULL ? mailbox_name(v, m) : NULL;
    PyObject *address = name != NULL ? new_address(addr, name) : NULL;
    Py_XDECREF(addr);
    Py_XDECREF(name);
    return address;
}

/* A fold inside a quoted name: the stdlib reads those otherwise (left to the pure path). */
static int fold_in_quotes(const char *v, Py_ssize_t n) {
    int quoted = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (v[i] == '"') quoted = !quoted;
        else if (v[i] == '\n' && quoted) return 1;
    }
    return 0;
}

static Py_ssize_t spaces(const char *s, Py_ssize_t n, Py_ssize_t i) {
    while (i < n && s[i] == ' ') i++;
    return i;
}

/* The end of a run of words of ``word`` characters, single or several spaces between them,
 * starting at ``v[i]`` (a ``word`` character). */
static Py_ssize_t words_end(const char *v, Py_ssize_t n, Py_ssize_t i, int (*word)(char)) {
    for (;;) {
        while (i < n && word(v[i])) i++;
        Py_ssize_t next = spaces(v, n, i);
        if (next == i || next >= n || !word(v[next])) return i;
        i = next;
    }
}

/* headers._EMPTY_GROUP at the start of ``v[0:n]``: an empty group of plain words leading the
 * list ("undisclosed-recipients:;"), from which the stdlib reads no address (and the rest of
 * the list as it reads it alone). The position after it and its comma, or 0. */
static Py_ssize_t empty_group(const char *v, Py_ssize_t n) {
    Py_ssize_t i = spaces(v, n, 0);
    if (i >= n || !is_domain(v[i])) return 0; /* [A-Za-z0-9-]: the words */
    i = spaces(v, n, words_end(v, n, i, is_domain));
    if (i >= n || v[i] != ':') return 0;
    i = spaces(v, n, i + 1);
    if (i >= n || v[i] != ';') return 0;
    i = spaces(v, n, i + 1);
    if (i == n) return n;
    return v[i] == ',' ? i + 1 : 0;
}

/* Where the mailboxes of an address value (without line breaks) start: after an empty group. */
static Py_ssize_t list_start(const char *v, Py_ssize_t n) {
    return memchr(v, ':', (size_t)n) != NULL ? empty_group(v, n) : 0;
}

/* A character of headers._WORDS: an atom's, or a dot. */
static int is_word(char c) { return is_atom(c) || c == '.'; }

/* headers._WORDS at ``v[i]`` and what ends a mailbox (match_end): words without an address,
 * which the stdlib reads as one without "@" (dropped). The position after them, or -1. */
static Py_ssize_t match_words(const char *v, Py_ssize_t n, Py_ssize_t i) {
    if (i >= n || !is_word(v[i])) return -1;
    return match_end(v, n, words_end(v, n, i, is_word));
}

/* The next mailbox of ``v[0:n]`` from ``*pos`` into ``m``, ``*pos`` past it: 1; 0 when there
 * is none; -1 for a shape left to the pure path. Commas, spaces and words without an address
 * (match_words) before it are passed over, as headers._lean_address_list passes them. */
static int next_mailbox(const char *v, Py_ssize_t n, Py_ssize_t *pos, Mailbox *m) {
    while (*pos < n) {
        if (v[*pos] == ',' || v[*pos] == ' ') {
            (*pos)++;
        } else if (match_mailbox(v, n, *pos, m)) {
            *pos = m->end;
            return 1;
        } else if ((*pos = match_words(v, n, *pos)) < 0) {
            return -1;
        }
    }
    return 0;
}

/* A folded address value read as headers._lean_address_list reads it: its text without line
 * breaks goes to ``v`` (``size`` bytes at least), its length to ``*n``, and with ``boxes`` its
 * mailboxes to those (at most ``room``). Returns the number of mailboxes, or -1 for a shape left
 * to the pure path (or more mailboxes than ``room``). */
static Py_ssize_t count_mailboxes(const char *folded, Py_ssize_t size, char *v, Py_ssize_t *n,
                                  Mailbox *boxes, Py_ssize_t room) {
    if (memchr(folded, '"', (size_t)size) != NULL && fold_in_quotes(folded, size)) return -1;
    Py_ssize_t length = 0, count = 0, pos = 0;
    for (Py_ssize_t i = 0; i < size;) { /* the value without its line breaks */
        const char *lf = memchr(folded + i, '\n', (size_t)(size - i));
        Py_ssize_t stop = lf != NULL ? lf - folded : size;
        memcpy(v + length, folded + i, (size_t)(stop - i));
        length += stop - i;
        i = stop + 1;
    }
    *n = length;
    pos = list_start(v, length);
    Mailbox m;
    int found;
    while ((found = next_mailbox(v, length, &pos, &m)) > 0) {
        if (boxes != NULL) {
            if (count >= room) return -1;
            boxes[count] = m;
        }
        count++;
    }
    return found < 0 ? -1 : count;
}

static PyObject *address_list(PyObject *self, PyObject *arg) {
    (void)self;
    if (!configured()) return NULL;
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "address_list() needs str");
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(arg)) Py_RETURN_NONE;
    Py_ssize_t folded_size, n, pos;
    const char *folded = PyUnicode_AsUTF8AndSize(arg, &folded_size);
    if (folded == NULL) return NULL;
    char *v = PyMem_Malloc(2 * (size_t)folded_size + 2); /* the value, then an address */
    if (v == NULL) return PyErr_NoMemory();
    char *buffer = v + folded_size + 1;
    Py_ssize_t count = count_mailboxes(folded, folded_size, v, &n, NULL, 0);
    if (count < 0) {
        PyMem_Free(v);
        Py_RETURN_NONE;
    }
    PyObject *found = PyTuple_New(count);
    pos = list_start(v, n);
    for (Py_ssize_t k = 0; found != NULL && k < count; k++) {
        Mailbox m;
        next_mailbox(v, n, &pos, &m);
        PyObject *address = mailbox_address(v, &m, buffer);
        if (address == NULL) Py_CLEAR(found);
        else PyTuple_SET_ITEM(found, k, address);
    }
    PyMem_Free(v);
    return found;
}

/* Whole rows ------------------------------------------------------------------------------ */

static PyObject *date_source;  /* TimeSource.DATE.value */
static PyObject *zero, *one;

/* A tuple of strings and integers only can be in no cycle: the garbage collector need not
 * visit the 100,000s a sync makes (it would untrack them itself, after visiting them). */
static PyObject *untracked(PyObject *tuple) {
    if (tuple != NULL) PyObject_GC_UnTrack(tuple);
    return tuple;
}
static PyObject *subject_of;   /* headers._subject: value -> (subject, out of office) */
/* headers._row_time: (Date value or None, fallback, argument) -> (epoch, TimeSource value) */
static PyObject *time_of;
static PyObject *kind_to, *kind_cc;
static long sign_unsubscribe, sign_feedback, sign_precedence; /* BulkSign */

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_white(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
static int two_digits(const char *s, Py_ssize_t n, Py_ssize_t i, int *value) {
    if (i + 1 >= n || !is_digit(s[i]) || !is_digit(s[i + 1])) return 0;
    *value = (s[i] - '0') * 10 + (s[i + 1] - '0');
    return 1;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long long days_from_civil(long long y, int m, int d) {
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int year, int month) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return days[month - 1] + (month == 2 && leap);
}

#define EPOCH_END 253402300800LL /* 10000-01-01 00:00:00 UTC */

/* headers._DATE and headers._day_start: the Date value as UTC epoch seconds; 0 when it does
 * not have that shape or names no real time from 1970 to 9999 (the pure path decides then). */
static int parse_date(const char *s, Py_ssize_t n, long long *epoch) {
    static const char *const months = "janfebmaraprmayjunjulaugsepoctnovdec";
    Py_ssize_t i = spaces(s, n, 0);
    if (i + 3 < n && is_alpha(s[i]) && is_alpha(s[i + 1]) && is_alpha(s[i + 2]) && s[i + 3] == ',')
        i = spaces(s, n, i + 4);
    int day = 0, digits = 0;
    for (; digits < 2 && i < n && is_digit(s[i]); digits++, i++) day = day * 10 + (s[i] - '0');
    if (digits == 0 || i >= n || s[i] != ' ') return 0;
    i = spaces(s, n, i);
    if (i + 3 > n || !is_alpha(s[i]) || !is_alpha(s[i + 1]) || !is_alpha(s[i + 2])) return 0;
    int month = 0;
    for (int k = 0; k < 12 && month == 0; k++)
        if (Py_TOLOWER((unsigned char)s[i]) == months[3 * k] &&
            Py_TOLOWER((unsigned char)s[i + 1]) == months[3 * k + 1] &&
            Py_TOLOWER((unsigned char)s[i + 2]) == months[3 * k + 2]) month = k + 1;
    i += 3;
    if (i >= n || s[i] != ' ') return 0;
    i = spaces(s, n, i);
    int century, years, hour, minute, second = 0, zone_hours, zone_minutes;
    if (!two_digits(s, n, i, &century) || !two_digits(s, n, i + 2, &years)) return 0;
    i += 4;
    if (i >= n || s[i] != ' ') return 0;
    i = spaces(s, n, i);
    if (!two_digits(s, n, i, &hour) || i + 2 >= n || s[i + 2] != ':' ||
        !two_digits(s, n, i + 3, &minute)) return 0;
    i += 5;
    if (i < n && s[i] == ':') {
        if (!two_digits(s, n, i + 1, &second)) return 0;
        i += 3;
    }
    if (i >= n || s[i] != ' ') return 0;
    i = spaces(s, n, i);
    if (i >= n || (s[i] != '+' && s[i] != '-') || !two_digits(s, n, i + 1, &zone_hours) ||
        !two_digits(s, n, i + 3, &zone_minutes) || s[i + 3] > '5') return 0;
    char sign = s[i];
    i = spaces(s, n, i + 5);
    if (i < n && s[i] == '(') {
        Py_ssize_t k = i + 1;
        while (k < n && s[k] != '(' && s[k] != ')') k++;
        if (k >= n || s[k] != ')') return 0;
        i = spaces(s, n, k + 1);
    }
    int year = century * 100 + years;
    if (i != n || month == 0 || year < 1970 || day < 1 || day > days_in_month(year, month) ||
        hour >= 24 || minute >= 60 || second >= 60) return 0;
    long long offset = zone_hours * 3600LL + zone_minutes * 60LL;
    long long time = days_from_civil(year, month, day) * 86400 - (sign == '+' ? offset : -offset)
                     + hour * 3600LL + minute * 60LL + second;
    if (time >= EPOCH_END) return 0;
    *epoch = time;
    return 1;
}

/* The first message id (headers._MSGID, ``<[^<>\s]+>``) in ``v[from:n]``. */
static int find_id(const char *v, Py_ssize_t n, Py_ssize_t from, Py_ssize_t *start,
                   Py_ssize_t *end) {
    for (Py_ssize_t i = from; i < n; i++) {
        const char *open = memchr(v + i, '<', (size_t)(n - i));
        if (open == NULL) return 0;
        i = open - v;
        Py_ssize_t j = i + 1;
        while (j < n && !(classes[(unsigned char)v[j]] & C_ID_END)) j++;
        if (j < n && v[j] == '>' && j > i + 1) {
            *start = i;
            *end = j + 1;
            return 1;
        }
    }
    return 0;
}

static PyObject *first_id(const char *v, Py_ssize_t n) {
    Py_ssize_t start, end;
    if (!find_id(v, n, 0, &start, &end)) return Py_NewRef(empty);
    return PyUnicode_DecodeASCII(v + start, end - start, NULL);
}

/* Every message id of ``v[0:n]``, joined by spaces (through ``buffer``, ``n`` bytes). */
static PyObject *all_ids(const char *v, Py_ssize_t n, char *buffer) {
    Py_ssize_t used = 0, pos = 0, start, end;
    while (find_id(v, n, pos, &start, &end)) {
        if (used) buffer[used++] = ' ';
        memcpy(buffer + used, v + start, (size_t)(end - start));
        used += end - start;
        pos = end;
    }
    return PyUnicode_DecodeASCII(buffer, used, NULL);
}

/* ``text.strip().lower() == lower`` */
static int stripped_is(const char *text, Py_ssize_t n, const char *lower) {
    Py_ssize_t start = 0;
    while (start < n && is_white(text[start])) start++;
    while (n > start && is_white(text[n - 1])) n--;
    return equals_lower(text + start, n - start, lower);
}

static int stripped_empty(const char *text, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; i++)
        if (!is_white(text[i])) return 0;
    return 1;
}

/* ``lower in text.lower()`` */
static int contains_lower(const char *text, Py_ssize_t n, const char *lower) {
    Py_ssize_t length = (Py_ssize_t)strlen(lower);
    for (Py_ssize_t i = 0; i + length <= n; i++)
        if (equals_lower(text + i, length, lower)) return 1;
    return 0;
}

/* "=?" in the text: encoded words, which headers.decode_text decodes. */
static int has_encoded_word(const char *text, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i + 1 < n; i++)
        if (text[i] == '=' && text[i + 1] == '?') return 1;
    return 0;
}

/* headers._unfold of a value (printable ASCII, folds as "\n "): its words joined by one space,
 * into ``out``; the length. */
static Py_ssize_t unfold(const char *text, Py_ssize_t n, char *out) {
    Py_ssize_t size = 0;
    for (Py_ssize_t i = 0; i < n;) {
        while (i < n && (text[i] == ' ' || text[i] == '\n')) i++;
        if (i == n) break;
        if (size) out[size++] = ' ';
        while (i < n && text[i] != ' ' && text[i] != '\n') out[size++] = text[i++];
    }
    return size;
}

/* headers._OUT_OF_OFFICE searched in the lower-cased ASCII ``text`` (through ``lower``): its
 * alternatives written out, but for the one with "é" (not ASCII). */
static int reads_out_of_office(const char *text, Py_ssize_t n, char *lower) {
    static const char *const phrases[] = {
        "out of office", "out of the office", "automatic reply", "automatic-reply",
        "automaticreply", "auto reply", "auto-reply", "autoreply", "automatisch antwoord",
        "afwezig", "abwesenheitsnotiz", "absence du bureau", "reponse automatique",
        "vacation reply", "on vacation", NULL,
    };
    for (Py_ssize_t i = 0; i < n; i++) lower[i] = (char)Py_TOLOWER((unsigned char)text[i]);
    for (Py_ssize_t i = 0; i < n; i++) {
        char c = lower[i];
        if (c != 'o' && c != 'a' && c != 'r' && c != 'v') continue; /* no phrase starts so */
        for (int k = 0; phrases[k] != NULL; k++) {
            Py_ssize_t length = (Py_ssize_t)strlen(phrases[k]);
            if (phrases[k][0] == c && i + length <= n &&
                memcmp(lower + i, phrases[k], (size_t)length) == 0)
                return 1;
        }
    }
    return 0;
}

/* A subject value as written: (subject, out of office), decoded by headers._subject where it
 * has encoded words, else unfolded here (``work`` and ``lower``: its size each). */
static PyObject *subject_pair_of(const char *text, Py_ssize_t size, char *work, char *lower) {
    if (!has_encoded_word(text, size)) {
        Py_ssize_t length = unfold(text, size, work);
        PyObject *subject = PyUnicode_DecodeASCII(work, length, NULL);
        if (subject == NULL) return NULL;
        PyObject *pair = PyTuple_Pack(2, subject, reads_out_of_office(work, length, lower)
                                                      ? Py_True : Py_False);
        Py_DECREF(subject);
        return pair;
    }
    PyObject *value = PyUnicode_DecodeASCII(text, size, NULL);
    PyObject *pair = value != NULL ? PyObject_CallOneArg(subject_of, value) : NULL;
    Py_XDECREF(value);
    if (pair != NULL && (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2)) {
        PyErr_SetString(PyExc_TypeError, "the subject reader returns (str, bool)");
        Py_CLEAR(pair);
    }
    return pair;
}

/* The subject of a value as written, and whether it reads as out of office (``*out_of_office``);
 * a subject recurs (replies, the same kinds of mail): each spelling is read once and kept. */
static PyObject *read_subject(const char *text, Py_ssize_t size, char *work, char *lower,
                              int *out_of_office) {
    if (size == 0) return Py_NewRef(empty);
    uint64_t hash = text_hash(text, size);
    KeptText *slot = kept_slot(&kept_subjects, text, size, hash);
    if (slot == NULL) return PyErr_NoMemory();
    PyObject *pair;
    if (slot->key != NULL) {
        pair = Py_NewRef(slot->value);
    } else {
        pair = subject_pair_of(text, size, work, lower);
        /* headers._subject is Python: the slot is looked up again after it */
        slot = pair != NULL ? kept_slot(&kept_subjects, text, size, hash) : NULL;
        if (pair != NULL && slot == NULL) {
            Py_DECREF(pair);
            return PyErr_NoMemory();
        }
        if (slot != NULL && slot->key != NULL) Py_SETREF(pair, Py_NewRef(slot->value));
        else if (slot != NULL) pair = kept_put(&kept_subjects, slot, text, size, hash, pair);
        if (pair == NULL) return NULL;
    }
    *out_of_office = PyObject_IsTrue(PyTuple_GET_ITEM(pair, 1));
    PyObject *subject = *out_of_office < 0 ? NULL : Py_NewRef(PyTuple_GET_ITEM(pair, 0));
    Py_DECREF(pair);
    return subject;
}

typedef struct {
    const char *v;   /* the value without line breaks */
    Py_ssize_t n;    /* its length */
    Py_ssize_t count;
    const Mailbox *boxes; /* its mailboxes, read once */
} AddressValue;

/* One of From, To, Cc: read into ``v``, its mailboxes into ``boxes`` (``room`` of them);
 * 0 when left to the pure path. */
static int read_addresses(const char *buffer, const Span *span, char *v, Mailbox *boxes,
                          Py_ssize_t room, AddressValue *out) {
    out->v = v;
    out->n = out->count = 0;
    out->boxes = boxes;
    if (span->start < 0) return 1;
    out->count = count_mailboxes(buffer + span->start, span->end - span->start, v, &out->n,
                                 boxes, room);
    return out->count >= 0;
}

/* The recipient rows ``(index, addr, name, kind)`` of an address value (kind: messages.TO or
 * CC), appended to ``into``. */
static int recipient_rows(const AddressValue *value, PyObject *index, PyObject *kind,
                          char *lower, PyObject *into) {
    for (Py_ssize_t k = 0; k < value->count; k++) {
        const Mailbox *m = &value->boxes[k];
        PyObject *addr = mailbox_addr(value->v, m, lower);
        PyObject *name = addr != NULL ? mailbox_name(value->v, m) : NULL;
        PyObject *row = name != NULL ? untracked(PyTuple_Pack(4, index, addr, name, kind)) : NULL;
        Py_XDECREF(addr);
        Py_XDECREF(name);
        if (row == NULL) return 0;
        int failed = PyList_Append(into, row);
        Py_DECREF(row);
        if (failed) return 0;
    }
    return 1;
}

static int present(const Span *spans, int field) { return spans[field].start >= 0; }

/* headers._values's "automatic" and "bulk_signs" of a message whose subject is not an
 * out-of-office one. */
static void automatic_and_signs(const char *buffer, const Span *spans, const char *sender,
                                Py_ssize_t sender_size, int *automatic, long *signs) {
    const Span *precedence = &spans[F_PRECEDENCE], *kind = &spans[F_CONTENT_TYPE];
    const Span *auto_submitted = &spans[F_AUTO_SUBMITTED];
    int flagged = present(spans, F_AUTO_SUBMITTED) || present(spans, F_X_AUTOREPLY) ||
                  present(spans, F_X_AUTORESPOND) || present(spans, F_PRECEDENCE) ||
                  present(spans, F_LIST_UNSUBSCRIBE) || present(spans, F_FEEDBACK_ID);
    int bounce = (sender_size >= 14 && equals_lower(sender, 14, "mailer-daemon@")) ||
                 (sender_size >= 11 && equals_lower(sender, 11, "postmaster@"));
    int report = present(spans, F_CONTENT_TYPE) &&
                 contains_lower(buffer + kind->start, kind->end - kind->start, "multipart/report");
    *signs = 0;
    if (!flagged) {
        *automatic = bounce || report;
        return;
    }
    const char *p = precedence->start >= 0 ? buffer + precedence->start : "";
    Py_ssize_t p_size = precedence->start >= 0 ? precedence->end - precedence->start : 0;
    int mass = stripped_is(p, p_size, "bulk") || stripped_is(p, p_size, "junk") ||
               stripped_is(p, p_size, "list");
    int automatic_submission =
        auto_submitted->start >= 0 &&
        !stripped_empty(buffer + auto_submitted->start, auto_submitted->end - auto_submitted->start) &&
        !stripped_is(buffer + auto_submitted->start, auto_submitted->end - auto_submitted->start, "no");
    *automatic = automatic_submission || present(spans, F_X_AUTOREPLY) ||
                 present(spans, F_X_AUTORESPOND) || mass || stripped_is(p, p_size, "auto_reply") ||
                 bounce || report;
    *signs = (present(spans, F_LIST_UNSUBSCRIBE) ? sign_unsubscribe : 0) |
             (present(spans, F_FEEDBACK_ID) ? sign_feedback : 0) | (mass ? sign_precedence : 0);
}

/* The time of a row and its source (new references into ``*epoch``, ``*source``): the Date
 * read here (parse_date), or else by headers._row_time as headers._values reads it, asking
 * ``fallback(argument)`` for INTERNALDATE when the Date is missing or unusable. 0 on an error. */
static int row_time(const char *buffer, const Span *date, PyObject *fallback, PyObject *argument,
                    PyObject **epoch, PyObject **source) {
    long long time;
    if (date->start >= 0 && parse_date(buffer + date->start, date->end - date->start, &time)) {
        *epoch = PyLong_FromLongLong(time);
        *source = Py_NewRef(date_source);
        return *epoch != NULL;
    }
    PyObject *value = date->start >= 0
                          ? PyUnicode_DecodeASCII(buffer + date->start, date->end - date->start,
                                                  NULL)
                          : Py_NewRef(Py_None);
    PyObject *pair = value != NULL ? PyObject_CallFunctionObjArgs(time_of, value, fallback,
                                                                  argument, NULL)
                                   : NULL;
    Py_XDECREF(value);
    if (pair == NULL) return 0;
    int good = PyTuple_CheckExact(pair) && PyTuple_GET_SIZE(pair) == 2 &&
               PyLong_CheckExact(PyTuple_GET_ITEM(pair, 0)) &&
               PyUnicode_CheckExact(PyTuple_GET_ITEM(pair, 1));
    if (good) {
        *epoch = Py_NewRef(PyTuple_GET_ITEM(pair, 0));
        *source = Py_NewRef(PyTuple_GET_ITEM(pair, 1));
    } else {
        PyErr_SetString(PyExc_TypeError, "the time reader returns (int, str)");
    }
    Py_DECREF(pair);
    return good;
}

/* The rows of a block split into ``spans`` (values in ``buffer``), appended; 1 when done,
 * 0 when left to the pure path (nothing appended), -1 on an error (nothing appended).
 * ``work``: 3 * the block's size, for the address values, an address, the references;
 * ``boxes``: room for ``room`` mailboxes; ``fallback(argument)``: INTERNALDATE (row_time). */
static int read_row(PyObject *messages, PyObject *recipients, PyObject *uid, const char *buffer,
                    const Span *spans, char *work, Py_ssize_t size, Mailbox *boxes,
                    Py_ssize_t room, PyObject *fallback, PyObject *argument) {
    const Span *id = &spans[F_MESSAGE_ID];
    Py_ssize_t id_start, id_end;
    if (id->start < 0 || !find_id(buffer + id->start, id->end - id->start, 0, &id_start, &id_end))
        return 0; /* no id: the pure path makes one */
    AddressValue from, to, cc;
    char *lower = work + size, *refs_buffer = work + 2 * size;
    if (!read_addresses(buffer, &spans[F_FROM], work, boxes, room, &from) ||
        !read_addresses(buffer, &spans[F_TO], work + from.n, boxes + from.count,
                        room - from.count, &to) ||
        !read_addresses(buffer, &spans[F_CC], work + from.n + to.n,
                        boxes + from.count + to.count, room - from.count - to.count, &cc))
        return 0;

    int result = -1, automatic;
    long signs;
    PyObject *index = NULL, *message_id = NULL, *in_reply_to = NULL, *refs = NULL,
             *epoch = NULL, *source = NULL, *from_addr = NULL, *from_name = NULL,
             *subject = NULL, *row = NULL, *rows = NULL;
    if (!row_time(buffer, &spans[F_DATE], fallback, argument, &epoch, &source)) goto done;
    index = PyLong_FromSsize_t(PyList_GET_SIZE(messages));
    if (index == NULL) goto done;
    message_id = PyUnicode_DecodeASCII(buffer + id->start + id_start, id_end - id_start, NULL);
    const Span *replied = &spans[F_IN_REPLY_TO], *references = &spans[F_REFERENCES];
    in_reply_to = replied->start >= 0 ? first_id(buffer + replied->start,
                                                 replied->end - replied->start)
                                      : Py_NewRef(empty);
    refs = references->start >= 0 ? all_ids(buffer + references->start,
                                             references->end - references->start, refs_buffer)
                                   : Py_NewRef(empty);
    if (message_id == NULL || in_reply_to == NULL || refs == NULL) goto done;
    const char *sender = "";
    Py_ssize_t sender_size = 0;
    if (from.count > 0) {
        const Mailbox *m = &from.boxes[0];
        from_addr = mailbox_addr(from.v, m, lower);
        from_name = from_addr != NULL ? mailbox_name(from.v, m) : NULL;
        if (from_name == NULL) goto done;
        sender = from.v + m->addr_start;
        sender_size = m->addr_end - m->addr_start;
    } else {
        from_addr = Py_NewRef(empty);
        from_name = Py_NewRef(empty);
    }
    const Span *subject_span = &spans[F_SUBJECT];
    int out_of_office = 0;
    subject = subject_span->start >= 0
                  ? read_subject(buffer + subject_span->start,
                                 subject_span->end - subject_span->start, refs_buffer, lower,
                                 &out_of_office)
                  : Py_NewRef(empty);
    if (subject == NULL) goto done;
    automatic_and_signs(buffer, spans, sender, sender_size, &automatic, &signs);
    automatic = automatic || out_of_office;
    PyObject *count = PyLong_FromSsize_t(to.count + cc.count), *flags = PyLong_FromLong(signs);
    if (count != NULL && flags != NULL)
        row = untracked(PyTuple_Pack(14, index, uid, message_id, in_reply_to, refs, epoch,
                                     source, from_addr, from_name, subject,
                                     automatic ? one : zero,
                                     present(spans, F_LIST_ID) ? one : zero, count, flags));
    Py_XDECREF(count);
    Py_XDECREF(flags);
    if (row == NULL) goto done;
    if (recipients != Py_None) {
        rows = PyList_New(0);
        if (rows == NULL || !recipient_rows(&to, index, kind_to, lower, rows) ||
            !recipient_rows(&cc, index, kind_cc, lower, rows)) goto done;
    }
    if (PyList_Append(messages, row) < 0) goto done;
    if (rows != NULL) {
        Py_ssize_t end = PyList_GET_SIZE(recipients);
        if (PyList_SetSlice(recipients, end, end, rows) < 0) {
            Py_ssize_t last = PyList_GET_SIZE(messages) - 1;
            PyList_SetSlice(messages, last, last + 1, NULL); /* nothing appended */
            goto done;
        }
    }
    result = 1;
done:
    Py_XDECREF(index);
    Py_XDECREF(message_id);
    Py_XDECREF(in_reply_to);
    Py_XDECREF(refs);
    Py_XDECREF(epoch);
    Py_XDECREF(source);
    Py_XDECREF(from_addr);
    Py_XDECREF(from_name);
    Py_XDECREF(subject);
    Py_XDECREF(row);
    Py_XDECREF(rows);
    return result;
}

static PyObject *add_row(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (!configured()) return NULL;
    if (subject_of == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "configure_rows() first (netguard.mail.headers does)");
        return NULL;
    }
    if (nargs != 6 || !PyList_Check(args[0]) || (args[1] != Py_None && !PyList_Check(args[1])) ||
        !PyLong_Check(args[2]) || !PyBytes_Check(args[3]) || !PyCallable_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError, "add_row(messages: list, recipients: list | None, "
                                         "uid: int, raw: bytes, fallback, argument)");
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)PyBytes_AS_STRING(args[3]);
    Py_ssize_t n = PyBytes_GET_SIZE(args[3]);
    /* the values, then work for read_row, then its mailboxes: each takes 3 bytes at least
     * ("a@b") and a comma after it but the last of a field */
    Py_ssize_t room = n / 4 + 3;
    size_t text = (4 * (size_t)n + 4 + _Alignof(Mailbox) - 1) / _Alignof(Mailbox) *
                  _Alignof(Mailbox);
    char *buffer = PyMem_Malloc(text + (size_t)room * sizeof(Mailbox));
    if (buffer == NULL) return PyErr_NoMemory();
    Span spans[FIELD_COUNT];
    int done = split_fields(p, n, buffer, spans)
                   ? read_row(args[0], args[1], args[2], buffer, spans, buffer + n + 1, n + 1,
                              (Mailbox *)(buffer + text), room, args[4], args[5])
                   : 0;
    PyMem_Free(buffer);
    if (done < 0) return NULL;
    return Py_NewRef(done ? Py_True : Py_False);
}

static PyObject *configure_rows(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *source, *subject, *time;
    long unsubscribe, feedback, precedence;
    if (!PyArg_ParseTuple(args, "UO(lll)O", &source, &subject, &unsubscribe, &feedback,
                          &precedence, &time))
        return NULL;
    if (!PyCallable_Check(subject) || !PyCallable_Check(time)) {
        PyErr_SetString(PyExc_TypeError, "the subject and time readers are callables");
        return NULL;
    }
    sign_unsubscribe = unsubscribe;
    sign_feedback = feedback;
    sign_precedence = precedence;
    Py_INCREF(source);
    Py_XSETREF(date_source, source);
    Py_INCREF(time);
    Py_XSETREF(time_of, time);
    Py_INCREF(subject);
    kept_clear(&kept_subjects); /* read by the reader before */
    Py_XSETREF(subject_of, subject); /* last: set means configured */
    Py_RETURN_NONE;
}

/* The first load's summary (analysis.first_load) ----------------------------------------- */

static PyObject *codes_attr, *names_attr, *append_attr; /* "codes", "names", "append" */

/* ``code`` and ``name`` (one object per spelling, through ``names``) appended to the side of
 * ``address`` in ``sides`` (made by ``new_side`` where it has none yet). */
static int add_to_side(PyObject *sides, PyObject *names, PyObject *new_side, PyObject *address,
                       PyObject *name, Py_ssize_t code_value) {
    PyObject *side = PyDict_GetItemWithError(sides, address); /* borrowed */
    if (side == NULL) {
        if (PyErr_Occurred()) return 0;
        PyObject *made = PyObject_CallNoArgs(new_side);
        if (made == NULL) return 0;
        int failed = PyDict_SetItem(sides, address, made);
        Py_DECREF(made); /* the dict holds it */
        if (failed) return 0;
        side = made;
    }
    PyObject *spelling = PyDict_SetDefault(names, name, name); /* borrowed */
    if (spelling == NULL) return 0;
    PyObject *code = PyLong_FromSsize_t(code_value);
    PyObject *codes = code != NULL ? PyObject_GetAttr(side, codes_attr) : NULL;
    PyObject *appended = codes != NULL ? PyObject_CallMethodOneArg(codes, append_attr, code)
                                       : NULL;
    PyObject *spellings = appended != NULL ? PyObject_GetAttr(side, names_attr) : NULL;
    int done = spellings != NULL && PyList_Check(spellings) &&
               PyList_Append(spellings, spelling) == 0;
    if (spellings != NULL && !PyList_Check(spellings))
        PyErr_SetString(PyExc_TypeError, "a side's names are a list");
    Py_XDECREF(code);
    Py_XDECREF(codes);
    Py_XDECREF(appended);
    Py_XDECREF(spellings);
    return done;
}

/* A gatherer of one row of a batch (the ``k``th; the batch's first message is number
 * ``first``), given the arguments of gather_recipients or gather_senders: (sides, names,
 * new_side, rows, ...). */
typedef int (*Gatherer)(PyObject *const *args, PyObject *row, Py_ssize_t k, Py_ssize_t first);

/* One recipient row (index, address, name, kind): its code (message number * 2 + in To) to
 * its address's side, when its message is counted (``args[4]``). */
static int gather_one(PyObject *const *args, PyObject *row, Py_ssize_t k, Py_ssize_t first) {
    (void)k;
    PyObject *counted = args[4];
    if (!PyTuple_CheckExact(row) || PyTuple_GET_SIZE(row) != 4) {
        PyErr_SetString(PyExc_TypeError, "a recipient row is (index, address, name, kind)");
        return 0;
    }
    Py_ssize_t index = PyLong_AsSsize_t(PyTuple_GET_ITEM(row, 0));
    if (index == -1 && PyErr_Occurred()) return 0;
    if (index < 0 || index >= PyList_GET_SIZE(counted)) {
        PyErr_SetString(PyExc_IndexError, "a recipient row of no message in the batch");
        return 0;
    }
    int wanted = PyObject_IsTrue(PyList_GET_ITEM(counted, index));
    if (wanted <= 0) return wanted == 0;
    PyObject *kind = PyTuple_GET_ITEM(row, 3); /* messages.TO or CC */
    int to = kind == kind_to;
    if (!to && kind != kind_cc) {
        to = PyObject_RichCompareBool(kind, kind_to, Py_EQ);
        if (to < 0) return 0;
    }
    return add_to_side(args[0], args[1], args[2], PyTuple_GET_ITEM(row, 1),
                       PyTuple_GET_ITEM(row, 2), (first + index) * 2 + to);
}

/* The columns of a message row (store.messages.MessageRow) read by gather_senders. */
enum { ROW_FROM = 7, ROW_NAME = 8, ROW_AUTOMATIC = 10, ROW_LIST = 11, ROW_SIZE = 14 };

/* One message row, number ``first + k``: its sender's side gets that number * 2 unless it
 * is list mail or automatic. */
static int gather_sender(PyObject *const *args, PyObject *row, Py_ssize_t k, Py_ssize_t first) {
    if (!PyTuple_CheckExact(row) || PyTuple_GET_SIZE(row) != ROW_SIZE) {
        PyErr_SetString(PyExc_TypeError, "a message row is a tuple of 14");
        return 0;
    }
    int list = PyObject_IsTrue(PyTuple_GET_ITEM(row, ROW_LIST));
    int automatic = list == 0 ? PyObject_IsTrue(PyTuple_GET_ITEM(row, ROW_AUTOMATIC)) : 0;
    if (list < 0 || automatic < 0) return 0;
    if (list || automatic) return 1;
    return add_to_side(args[0], args[1], args[2], PyTuple_GET_ITEM(row, ROW_FROM),
                       PyTuple_GET_ITEM(row, ROW_NAME), (first + k) * 2);
}

/* ``one`` for each row of ``args[3]``, the batch's first message being number ``first``. */
static PyObject *gather_each(PyObject *const *args, PyObject *first_number, Gatherer one) {
    Py_ssize_t first = PyLong_AsSsize_t(first_number);
    if (first == -1 && PyErr_Occurred()) return NULL;
    PyObject *rows = args[3];
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(rows); k++) {
        PyObject *row = PyList_GET_ITEM(rows, k);
        Py_INCREF(row); /* the list may change under the calls */
        int done = one(args, row, k, first);
        Py_DECREF(row);
        if (!done) return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *gather_senders(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 5 || !PyDict_CheckExact(args[0]) || !PyDict_CheckExact(args[1]) ||
        !PyList_Check(args[3]) || !PyLong_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError, "gather_senders(sides: dict, names: dict, new_side, "
                                         "messages: list, first: int)");
        return NULL;
    }
    return gather_each(args, args[4], gather_sender);
}

static PyObject *gather_recipients(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 6 || !PyDict_CheckExact(args[0]) || !PyDict_CheckExact(args[1]) ||
        !PyList_Check(args[3]) || !PyList_Check(args[4]) || !PyLong_Check(args[5])) {
        PyErr_SetString(PyExc_TypeError, "gather_recipients(sides: dict, names: dict, "
                                         "new_side, recipients: list, counted: list, first: int)");
        return NULL;
    }
    return gather_each(args, args[5], gather_one);
}

/* A buffer of 64-bit integers (an array('q')), or NULL with an error. */
static int int64_view(PyObject *source, Py_buffer *view) {
    if (PyObject_GetBuffer(source, view, PyBUF_FORMAT | PyBUF_ND) < 0) return 0;
    if (view->itemsize != 8 || view->format == NULL ||
        (strcmp(view->format, "q") != 0 && strcmp(view->format, "l") != 0)) {
        PyBuffer_Release(view);
        PyErr_SetString(PyExc_TypeError, "an array of 64-bit integers ('q')");
        return 0;
    }
    return 1;
}

/* first_load's rows of one side of an address, as its list comprehension makes them:
 * (address, times[code >> 1], ids[code >> 1], code & 1, name, "") for code, name in zip. */
static PyObject *side_rows(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 5 || !PyList_Check(args[2]) || !PyList_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError, "side_rows(address, codes: array, names: list, "
                                         "times: array, ids: list)");
        return NULL;
    }
    PyObject *address = args[0], *names = args[2], *ids = args[4];
    Py_buffer codes, times;
    if (!int64_view(args[1], &codes)) return NULL;
    if (!int64_view(args[3], &times)) {
        PyBuffer_Release(&codes);
        return NULL;
    }
    Py_ssize_t count = codes.len / 8, known = times.len / 8;
    PyObject *rows = NULL;
    if (count != PyList_GET_SIZE(names)) {
        PyErr_SetString(PyExc_ValueError, "codes and names of different lengths");
        goto done;
    }
    rows = PyList_New(count);
    for (Py_ssize_t k = 0; rows != NULL && k < count; k++) {
        long long code = ((const long long *)codes.buf)[k], number = code >> 1;
        if (code < 0 || number >= known || number >= PyList_GET_SIZE(ids)) {
            PyErr_SetString(PyExc_IndexError, "a code of no message gathered");
            Py_CLEAR(rows);
            break;
        }
        PyObject *time = PyLong_FromLongLong(((const long long *)times.buf)[number]);
        PyObject *row = time != NULL ? untracked(PyTuple_Pack(
                            6, address, time, PyList_GET_ITEM(ids, number), code & 1 ? one : zero,
                            PyList_GET_ITEM(names, k), empty)) : NULL;
        Py_XDECREF(time);
        if (row == NULL) Py_CLEAR(rows);
        else PyList_SET_ITEM(rows, k, row);
    }
done:
    PyBuffer_Release(&codes);
    PyBuffer_Release(&times);
    return rows;
}

/* FETCH answers ------------------------------------------------------------------------------ */

#define MAX_LINE 1000000 /* fetch.MAX_LINE: a longer line is fetch.py's to refuse */

/* ``text`` (NUL-terminated) at ``data[i]``; the position after it, or -1. */
static Py_ssize_t expect(const char *data, Py_ssize_t n, Py_ssize_t i, const char *text) {
    Py_ssize_t length = (Py_ssize_t)strlen(text);
    if (i + length > n || memcmp(data + i, text, (size_t)length) != 0) return -1;
    return i + length;
}

/* \d+ at ``data[i]`` (at most 18 digits: more are fetch.py's to read); the position after. */
static Py_ssize_t number(const char *data, Py_ssize_t n, Py_ssize_t i, long long *value) {
    Py_ssize_t start = i;
    *value = 0;
    while (i < n && is_digit(data[i]) && i - start < 18) *value = *value * 10 + (data[i++] - '0');
    return i > start && (i >= n || !is_digit(data[i])) ? i : -1;
}

/* Up to (not past) ``stop`` on the line; the position of ``stop``, or -1. */
static Py_ssize_t until(const char *data, Py_ssize_t n, Py_ssize_t i, char stop) {
    while (i < n && data[i] != stop && data[i] != '\n') i++;
    return i < n && data[i] == stop ? i : -1;
}

/* One answer of fetch._PLAIN_ANSWER's shape, its literal and ")\r\n" at ``data[pos]``, whole
 * in ``data`` and ending by ``budget``: appended to ``found`` as (uid, internaldate, header).
 * The position after it; 0 when there is none (or not all of it); -1 on an error. */
static Py_ssize_t scan_one(const char *data, Py_ssize_t n, Py_ssize_t pos, PyObject *found,
                           long long budget, long long max_literal) {
    long long sequence, uid, size;
    Py_ssize_t i = expect(data, n, pos, "* "), date_start, date_end;
    if (i < 0 || (i = number(data, n, i, &sequence)) < 0 ||
        (i = expect(data, n, i, " FETCH (UID ")) < 0 || (i = number(data, n, i, &uid)) < 0 ||
        (i = expect(data, n, i, " INTERNALDATE \"")) < 0) return 0;
    date_start = i;
    if ((date_end = until(data, n, i, '"')) < 0 ||
        (i = expect(data, n, date_end, "\" BODY[HEADER.FIELDS (")) < 0 ||
        (i = until(data, n, i, ')')) < 0 || (i = expect(data, n, i, ")] {")) < 0 ||
        (i = number(data, n, i, &size)) < 0 || (i = expect(data, n, i, "}\r\n")) < 0)
        return 0;
    if (i - pos > MAX_LINE || size > max_literal || size > n - i) return 0;
    Py_ssize_t header_start = i, end = expect(data, n, i + (Py_ssize_t)size, ")\r\n");
    if (end < 0 || end > budget) return 0; /* over the budget: fetch.py refuses it */
    PyObject *number_object = PyLong_FromLongLong(uid);
    PyObject *date = PyBytes_FromStringAndSize(data + date_start, date_end - date_start);
    PyObject *header = PyBytes_FromStringAndSize(data + header_start, (Py_ssize_t)size);
    PyObject *answer = number_object != NULL && date != NULL && header != NULL
                           ? untracked(PyTuple_Pack(3, number_object, date, header))
                           : NULL;
    Py_XDECREF(number_object);
    Py_XDECREF(date);
    Py_XDECREF(header);
    if (answer == NULL) return -1;
    int failed = PyList_Append(found, answer);
    Py_DECREF(answer);
    return failed ? -1 : end;
}

static PyObject *scan_fetch(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 4 || !PyBytes_Check(args[0]) || !PyList_Check(args[1]) ||
        !PyLong_Check(args[2]) || !PyLong_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "scan_fetch(data: bytes, found: list, budget: int, "
                                         "max_literal: int)");
        return NULL;
    }
    long long budget = PyLong_AsLongLong(args[2]), max_literal = PyLong_AsLongLong(args[3]);
    if (PyErr_Occurred()) return NULL;
    const char *data = PyBytes_AS_STRING(args[0]);
    Py_ssize_t n = PyBytes_GET_SIZE(args[0]), pos = 0;
    while (pos < n) {
        Py_ssize_t end = scan_one(data, n, pos, args[1], budget, max_literal);
        if (end < 0) return NULL;
        if (end == 0) break;
        pos = end;
    }
    return PyLong_FromSsize_t(pos);
}

static PyObject *configure(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *names, *address, *decode;
    int plain;
    if (!PyArg_ParseTuple(args, "O!OOp", &PyTuple_Type, &names, &address, &decode, &plain))
        return NULL;
    if (PyTuple_GET_SIZE(names) != FIELD_COUNT) {
        PyErr_SetString(PyExc_ValueError, "configure() needs the 16 FIELDS");
        return NULL;
    }
    for (int i = 0; i < FIELD_COUNT; i++) {
        PyObject *name = PyTuple_GET_ITEM(names, i);
        if (!PyUnicode_Check(name) || PyUnicode_CompareWithASCIIString(name, FIELD_SPELLING[i])) {
            PyErr_SetString(PyExc_ValueError, "FIELDS changed: update FIELD_SPELLING");
            return NULL;
        }
        Py_INCREF(name);
        Py_XSETREF(field_names[i], name);
    }
    if (plain && !PyType_Check(address)) {
        PyErr_SetString(PyExc_TypeError, "a plain Address is a type");
        return NULL;
    }
    plain_address = plain;
    kept_clear(&kept_names); /* decoded by the decode_text before */
    kept_clear(&kept_subjects);
    Py_INCREF(decode);
    Py_XSETREF(decode_text, decode);
    Py_INCREF(address);
    Py_XSETREF(address_type, address); /* last: set means configured */
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS, "configure(FIELDS, Address, decode_text, plain)"},
    {"fields", fields, METH_O, "The FIELDS of a plain header block, or None."},
    {"address_list", address_list, METH_O, "The mailboxes of a plain address field, or None."},
    {"configure_rows", configure_rows, METH_VARARGS,
     "configure_rows(TimeSource.DATE.value, subject_reader, (unsubscribe, feedback, precedence),"
     " time_reader)"},
    {"scan_fetch", (PyCFunction)(void (*)(void))scan_fetch, METH_FASTCALL,
     "Read the FETCH answers of the usual shape at the start of data; the bytes they took."},
    {"add_row", (PyCFunction)(void (*)(void))add_row, METH_FASTCALL,
     "Append a header block's store rows; False (nothing appended) for an unusual block."},
    {"gather_recipients", (PyCFunction)(void (*)(void))gather_recipients, METH_FASTCALL,
     "analysis.first_load's gathering of a batch's recipient rows."},
    {"gather_senders", (PyCFunction)(void (*)(void))gather_senders, METH_FASTCALL,
     "analysis.first_load's gathering of a batch's senders."},
    {"side_rows", (PyCFunction)(void (*)(void))side_rows, METH_FASTCALL,
     "analysis.first_load's rows of one side of an address."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_headers_native", "The compiled fast path of headers.py.", -1,
    methods, NULL, NULL, NULL, NULL,
};

/* The module's constants, made once: 0 (with an error set) when one cannot be. */
static int make_constants(void) {
    return (empty = PyUnicode_FromStringAndSize("", 0)) != NULL &&
           (zero = PyLong_FromLong(0)) != NULL && (one = PyLong_FromLong(1)) != NULL &&
           (kind_to = PyLong_FromLong(0)) != NULL && /* messages.TO */
           (kind_cc = PyLong_FromLong(1)) != NULL && /* messages.CC */
           (addr_attr = PyUnicode_InternFromString("addr")) != NULL &&
           (name_attr = PyUnicode_InternFromString("name")) != NULL &&
           (codes_attr = PyUnicode_InternFromString("codes")) != NULL &&
           (names_attr = PyUnicode_InternFromString("names")) != NULL &&
           (append_attr = PyUnicode_InternFromString("append")) != NULL;
}

PyMODINIT_FUNC PyInit__headers_native(void) {
    fill_classes();
    return make_constants() ? PyModule_Create(&module) : NULL;
}
