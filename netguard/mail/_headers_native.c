/* The compiled fast path of netguard/mail/headers.py (issue 18): the two steps that cost the
 * most per message, for the common shapes only.
 *
 *   fields(raw: bytes) -> dict[str, str] | None         as headers._lean_fields
 *   address_list(folded: str) -> tuple[Address, ...] | None   as headers._lean_address_list
 *
 * None always means "not handled here": headers.py then asks its pure-Python path, which is
 * the reference. So a result that is not None must equal the pure path's result exactly; the
 * tests check that on the corpora and on generated input. Header blocks are hostile input:
 * every read is bounds-checked against the length, nothing is copied into a fixed buffer.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#define FIELD_COUNT 16
static PyObject *field_names[FIELD_COUNT]; /* the spellings of headers.FIELDS */
static PyObject *address_type;             /* netguard.model.Address */
static PyObject *decode_text;              /* headers.decode_text */
static PyObject *addr_attr, *name_attr;    /* "addr", "name" */
static int plain_address;                  /* Address's __init__ only sets its two fields */

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

/* [!-9;-~]: a character of a field name */
static int is_name(unsigned char c) { return c >= 0x21 && c <= 0x7E && c != ':'; }
/* [ -~], with a tab read as a space (the pure path replaces tabs before it splits) */
static int is_text(unsigned char c) { return (c >= 0x20 && c <= 0x7E) || c == '\t'; }
static int is_space(unsigned char c) { return c == ' ' || c == '\t'; }

static int is_atom(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}
static int is_domain(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

/* The FIELDS entry spelled ``name`` in any case, or -1. */
static int field_index(const char *name, Py_ssize_t length) {
    for (int i = 0; i < FIELD_COUNT; i++) {
        Py_ssize_t size;
        const char *known = PyUnicode_AsUTF8AndSize(field_names[i], &size);
        if (known == NULL || size != length) continue;
        Py_ssize_t k = 0;
        while (k < length && Py_TOLOWER((unsigned char)name[k]) ==
                             Py_TOLOWER((unsigned char)known[k])) k++;
        if (k == length) return i;
    }
    return -1;
}

/* One value of the block: tabs as spaces, folds (CRLF or LF, then a space) as "\n ". */
static PyObject *field_value(const char *data, Py_ssize_t start, Py_ssize_t end, char *buffer) {
    Py_ssize_t size = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        char c = data[i];
        if (c == '\r') continue; /* inside a value only before the LF of a fold */
        buffer[size++] = c == '\t' ? ' ' : c;
    }
    return PyUnicode_DecodeASCII(buffer, size, NULL);
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
        while (i < n && is_text(p[i])) i++;
        Py_ssize_t q = i;
        if (q < n && p[q] == '\r') q++;
        if (q + 1 < n && p[q] == '\n' && is_space(p[q + 1])) {
            i = q + 2;
            continue;
        }
        break;
    }
    *value_end = i;
    if (i < n && p[i] == '\r') i++;
    if (i < n && p[i] == '\n') return i + 1;
    return -1;
}

static int configured(void) {
    if (address_type != NULL) return 1;
    PyErr_SetString(PyExc_RuntimeError, "configure() first (netguard.mail.headers does)");
    return 0;
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
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c >= 0x7F || (c < 0x20 && c != '\t' && c != '\r' && c != '\n')) Py_RETURN_NONE;
    }
    char *buffer = PyMem_Malloc(n > 0 ? (size_t)n : 1);
    if (buffer == NULL) return PyErr_NoMemory();
    PyObject *found = PyDict_New();
    if (found == NULL) goto error;
    Py_ssize_t pos = 0;
    while (pos < n) {
        Py_ssize_t name_end, value_start, value_end;
        Py_ssize_t end = match_field(p, n, pos, &name_end, &value_start, &value_end);
        if (end < 0) break;
        int known = field_index((const char *)p + pos, name_end - pos);
        if (known >= 0) {
            if (PyDict_Contains(found, field_names[known])) goto decline; /* twice */
            PyObject *value = field_value((const char *)p, value_start, value_end, buffer);
            if (value == NULL) goto error;
            int failed = PyDict_SetItem(found, field_names[known], value);
            Py_DECREF(value);
            if (failed) goto error;
        }
        pos = end;
    }
    Py_ssize_t rest = n - pos; /* the blank line that ends the block, or nothing */
    if (rest == 0 || (rest == 1 && p[pos] == '\n') ||
        (rest == 2 && p[pos] == '\r' && p[pos + 1] == '\n')) {
        PyMem_Free(buffer);
        return found;
    }
decline:
    Py_DECREF(found);
    PyMem_Free(buffer);
    Py_RETURN_NONE;
error:
    Py_XDECREF(found);
    PyMem_Free(buffer);
    return NULL;
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

static PyObject *mailbox_name(const char *v, const Mailbox *m) {
    Py_ssize_t length = m->name_end - m->name_start;
    const char *name = v + m->name_start;
    int decode = length > 0 && (name[0] == ' ' || name[length - 1] == ' ');
    for (Py_ssize_t k = 0; !decode && k + 1 < length; k++)
        decode = (name[k] == '=' && name[k + 1] == '?') || (name[k] == ' ' && name[k + 1] == ' ');
    PyObject *text = PyUnicode_DecodeASCII(name, length, NULL);
    if (text == NULL || !decode) return text;
    PyObject *decoded = PyObject_CallOneArg(decode_text, text);
    Py_DECREF(text);
    if (decoded == NULL) return NULL;
    PyObject *stripped = PyObject_CallMethod(decoded, "strip", "s", "\"");
    Py_DECREF(decoded);
    return stripped;
}

static PyObject *mailbox_address(const char *v, const Mailbox *m, char *buffer) {
    Py_ssize_t size = m->addr_end - m->addr_start;
    for (Py_ssize_t k = 0; k < size; k++)
        buffer[k] = (char)Py_TOLOWER((unsigned char)v[m->addr_start + k]);
    PyObject *addr = PyUnicode_DecodeASCII(buffer, size, NULL);
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

static PyObject *address_list(PyObject *self, PyObject *arg) {
    (void)self;
    if (!configured()) return NULL;
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "address_list() needs str");
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(arg)) Py_RETURN_NONE;
    Py_ssize_t folded_size;
    const char *folded = PyUnicode_AsUTF8AndSize(arg, &folded_size);
    if (folded == NULL) return NULL;
    if (fold_in_quotes(folded, folded_size)) Py_RETURN_NONE;
    char *v = PyMem_Malloc(2 * (size_t)folded_size + 2); /* the value, then an address */
    if (v == NULL) return PyErr_NoMemory();
    char *buffer = v + folded_size + 1;
    Py_ssize_t n = 0;
    for (Py_ssize_t i = 0; i < folded_size; i++)
        if (folded[i] != '\n') v[n++] = folded[i];
    PyObject *found = PyList_New(0);
    if (found == NULL) goto error;
    Py_ssize_t pos = 0;
    while (pos < n) {
        if (v[pos] == ',' || v[pos] == ' ') {
            pos++;
            continue;
        }
        Mailbox m;
        if (!match_mailbox(v, n, pos, &m)) {
            Py_DECREF(found);
            PyMem_Free(v);
            Py_RETURN_NONE;
        }
        PyObject *address = mailbox_address(v, &m, buffer);
        if (address == NULL) goto error;
        int failed = PyList_Append(found, address);
        Py_DECREF(address);
        if (failed) goto error;
        pos = m.end;
    }
    PyMem_Free(v);
    PyObject *result = PyList_AsTuple(found);
    Py_DECREF(found);
    return result;
error:
    Py_XDECREF(found);
    PyMem_Free(v);
    return NULL;
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
        if (!PyUnicode_Check(name) || !PyUnicode_IS_ASCII(name)) {
            PyErr_SetString(PyExc_TypeError, "FIELDS are ASCII str");
            return NULL;
        }
        Py_INCREF(name);
        Py_XSETREF(field_names[i], name);
    }
    if (plain && !PyType_Check(address)) {
        PyErr_SetString(PyExc_TypeError, "a plain Address is a type");
        return NULL;
    }
    if (addr_attr == NULL && (addr_attr = PyUnicode_InternFromString("addr")) == NULL) return NULL;
    if (name_attr == NULL && (name_attr = PyUnicode_InternFromString("name")) == NULL) return NULL;
    plain_address = plain;
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
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_headers_native", "The compiled fast path of headers.py.", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__headers_native(void) { return PyModule_Create(&module); }
