/*
 * crc64._crc64: the CPython extension of swift-crc64. It is compiled together with the library's own C sources
 * (Sources/CCRC64, read in place from a checkout or from the copy an sdist carries; setup.py), so it dispatches to
 * the same kernels.
 *
 * Safe without the GIL (free-threaded CPython): a Model is immutable once made, the library builds its preset tables
 * race-free, and the module keeps no other mutable state (the exception type is made once, at import).
 *
 * Per-call overhead matters as much as bandwidth here: a 16-byte CRC takes a few nanoseconds, so the entry points
 * use vectorcall / METH_FASTCALL, parse their arguments by hand and take bytes without a Py_buffer.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "crc64.h"

/*
 * Inputs at least this long are hashed with the GIL released, so that threads hashing different buffers run on
 * different cores. Below it the release does not pay: alone it costs a call 30-40 ns (5% at 16 KiB), and far more
 * when threads contend for the GIL at every call. Measured on Zen 3 (AVX2 kernel, about 24 GB/s) with builds at
 * several thresholds, two threads each hashing its own buffer against one (Benchmarks/python-gil-threshold.py;
 * perf-reports/2026-12-02-python.md): at 4 KiB two releasing threads did 0.33-0.62x the work of one (holding the
 * GIL: 0.89-1.00x), at 8 KiB 0.70-1.01x (0.88-1.09x); from 16 KiB, when the other core was free, 1.5x at 16 KiB and
 * 1.8-1.9x at 64 KiB (holding: 1.0x).
 */
#ifndef GIL_RELEASE_MIN /* -DGIL_RELEASE_MIN=N builds another threshold, as Benchmarks/python-gil-threshold.py does */
#define GIL_RELEASE_MIN 16384
#endif

#ifdef CRC64_TEST_HOOKS
/*
 * The test build only (-DCRC64_TEST_HOOKS, built by .ci/python.sh; never in the shipped module): lets the suite see,
 * without timing anything, whether a call hashes with the GIL released. Once armed, the next call through the kernel
 * records whether its thread holds the GIL, raises `in_kernel`, and waits there until the gate is opened or the
 * armed wait runs out. A thread that sees `in_kernel` raised has run Python while another thread was inside a call.
 */
#include <stdatomic.h>
#include <time.h>

static atomic_int hook_armed, hook_in_kernel, hook_gate_open, hook_held_gil, hook_timed_out;
static atomic_long hook_wait_ms;

static double hook_now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void hook_enter(void) {
    if (!atomic_load(&hook_armed)) return;
    atomic_store(&hook_held_gil, PyGILState_Check());
    atomic_store(&hook_in_kernel, 1);
    const double deadline = hook_now_ms() + (double)atomic_load(&hook_wait_ms);
    while (!atomic_load(&hook_gate_open)) {
        if (hook_now_ms() > deadline) {
            atomic_store(&hook_timed_out, 1);
            break;
        }
        const struct timespec pause = {0, 100000};
        nanosleep(&pause, NULL);
    }
}

static void hook_exit(void) {
    if (atomic_exchange(&hook_armed, 0)) atomic_store(&hook_in_kernel, 0);
}

static PyObject *module_test_arm(PyObject *module, PyObject *wait_ms) {
    (void)module;
    long ms = PyLong_AsLong(wait_ms);
    if (ms == -1 && PyErr_Occurred()) return NULL;
    atomic_store(&hook_wait_ms, ms);
    atomic_store(&hook_in_kernel, 0);
    atomic_store(&hook_gate_open, 0);
    atomic_store(&hook_held_gil, -1);
    atomic_store(&hook_timed_out, 0);
    atomic_store(&hook_armed, 1);
    Py_RETURN_NONE;
}

static PyObject *module_test_open_gate(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    atomic_store(&hook_gate_open, 1);
    Py_RETURN_NONE;
}

/* (in_kernel, held_gil, timed_out): held_gil is -1 until an armed call reaches the kernel. */
static PyObject *module_test_state(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    return Py_BuildValue("(iii)", atomic_load(&hook_in_kernel), atomic_load(&hook_held_gil),
                         atomic_load(&hook_timed_out));
}

#define TEST_HOOK_METHODS                                                                                              \
    {"_test_arm", module_test_arm, METH_O, NULL}, {"_test_open_gate", module_test_open_gate, METH_NOARGS, NULL},      \
        {"_test_state", module_test_state, METH_NOARGS, NULL},
#else
#define hook_enter() ((void)0)
#define hook_exit() ((void)0)
#define TEST_HOOK_METHODS
#endif

static const char MAX_TEXT[] = "18446744073709551615";

/* ---- Arguments ---- */

/* The bytes of `obj`, held until data_release. bytes are read in place: they are immutable and the caller's
 * reference keeps them alive. Everything else goes through the buffer protocol, which also pins the buffer (a
 * bytearray cannot be resized, an mmap not closed) while we read it, GIL released or not. */
typedef struct {
    const void *buf;
    size_t len;
    Py_buffer view;
    int has_view;
} data_t;

/* Exporters refuse a strided buffer differently (memoryview: BufferError, numpy: ValueError); callers get one
 * exception that says what to do, with the exporter's own as its cause. It is both a BufferError and a ValueError, so
 * that whatever caught either (crcmod passes the exporter's through) still does. Made once, at the first import. */
static PyObject *NotContiguousError;

static void raise_not_contiguous(void) {
#if PY_VERSION_HEX >= 0x030C0000
    PyObject *cause = PyErr_GetRaisedException();
#else
    PyObject *type, *cause, *traceback;
    PyErr_Fetch(&type, &cause, &traceback);
    PyErr_NormalizeException(&type, &cause, &traceback);
    if (traceback) PyException_SetTraceback(cause, traceback);
    Py_XDECREF(type);
    Py_XDECREF(traceback);
#endif
    PyErr_Format(NotContiguousError,
                 "data must be readable as one C-contiguous block of bytes, and this buffer is not (%S); for a strided "
                 "view or array, hash a contiguous copy: bytes(data) or numpy.ascontiguousarray(data)",
                 cause);
#if PY_VERSION_HEX >= 0x030C0000
    PyObject *error = PyErr_GetRaisedException();
    PyException_SetCause(error, cause);
    PyErr_SetRaisedException(error);
#else
    PyObject *error_type, *error, *error_traceback;
    PyErr_Fetch(&error_type, &error, &error_traceback);
    PyErr_NormalizeException(&error_type, &error, &error_traceback);
    PyException_SetCause(error, cause);
    PyErr_Restore(error_type, error, error_traceback);
#endif
}

static int data_acquire(PyObject *obj, data_t *data) {
    if (PyBytes_CheckExact(obj)) {
        data->buf = PyBytes_AS_STRING(obj);
        data->len = (size_t)PyBytes_GET_SIZE(obj);
        data->has_view = 0;
        return 0;
    }
    if (PyUnicode_Check(obj)) {
        PyErr_SetString(PyExc_TypeError, "Strings must be encoded before hashing");
        return -1;
    }
    /* PyBUF_SIMPLE asks for one C-contiguous run of bytes: an exporter that cannot give one (a strided memoryview, a
     * transposed numpy array) refuses instead of letting us hash a wrong byte sequence; an object without the buffer
     * protocol raises "a bytes-like object is required". */
    if (PyObject_GetBuffer(obj, &data->view, PyBUF_SIMPLE) < 0) {
        if (PyObject_CheckBuffer(obj) &&
            (PyErr_ExceptionMatches(PyExc_BufferError) || PyErr_ExceptionMatches(PyExc_ValueError)))
            raise_not_contiguous();
        return -1;
    }
    data->buf = data->view.buf;
    data->len = (size_t)data->view.len;
    data->has_view = 1;
    return 0;
}

static void data_release(data_t *data) {
    if (data->has_view) PyBuffer_Release(&data->view);
}

static uint64_t data_update(const libcrc64_model *model, uint64_t crc, const data_t *data) {
    if (data->len < GIL_RELEASE_MIN) {
        hook_enter();
        crc = libcrc64_update(model, crc, data->buf, data->len);
        hook_exit();
        return crc;
    }
    Py_BEGIN_ALLOW_THREADS
    hook_enter();
    crc = libcrc64_update(model, crc, data->buf, data->len);
    hook_exit();
    Py_END_ALLOW_THREADS
    return crc;
}

/* A 64-bit unsigned argument, strictly: an int (or an object with __index__) in 0..2**64-1. */
static int u64_strict(PyObject *obj, const char *what, uint64_t *out) {
    PyObject *number;
    if (PyLong_CheckExact(obj)) {
        Py_INCREF(obj);
        number = obj;
    } else {
        number = PyNumber_Index(obj);
        if (!number) {
            PyErr_Format(PyExc_TypeError, "%s must be an int, not '%.100s'", what, Py_TYPE(obj)->tp_name);
            return -1;
        }
    }
    unsigned long long value = PyLong_AsUnsignedLongLong(number);
    if (value == (unsigned long long)-1 && PyErr_Occurred()) {
        if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_ValueError, "%s must be in the range 0..%s (64 bits unsigned), got %R", what,
                         MAX_TEXT, number);
        }
        Py_DECREF(number);
        return -1;
    }
    Py_DECREF(number);
    *out = value;
    return 0;
}

/* crcmod's reading of a previous CRC: any int, taken modulo 2**64 (its C extension parses it with "K"). */
static int u64_masked(PyObject *obj, uint64_t *out) {
    if (PyLong_Check(obj)) {
        *out = PyLong_AsUnsignedLongLongMask(obj);
        return 0;
    }
    PyObject *number = PyNumber_Index(obj);
    if (!number) {
        PyErr_Format(PyExc_TypeError, "crc must be an int, not '%.100s'", Py_TYPE(obj)->tp_name);
        return -1;
    }
    *out = PyLong_AsUnsignedLongLongMask(number);
    Py_DECREF(number);
    return 0;
}

/* Splits the arguments of `name(data, /, crc=...)`; *crc stays NULL when crc is not given. */
static int parse_data_crc(const char *name, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                          PyObject **data, PyObject **crc) {
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    if (nargs < 1 || nargs > 2) {
        PyErr_Format(PyExc_TypeError, "%s() takes the data and an optional crc (%zd arguments given)", name,
                     nargs + nkw);
        return -1;
    }
    *data = args[0];
    *crc = nargs == 2 ? args[1] : NULL;
    for (Py_ssize_t i = 0; i < nkw; i++) {
        PyObject *key = PyTuple_GET_ITEM(kwnames, i);
        if (!PyUnicode_Check(key) || PyUnicode_CompareWithASCIIString(key, "crc") != 0) {
            PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument %R", name, key);
            return -1;
        }
        if (*crc) {
            PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument 'crc'", name);
            return -1;
        }
        *crc = args[nargs + i];
    }
    return 0;
}

/* ---- Model ---- */

typedef struct {
    PyObject_HEAD
    libcrc64_model *owned;  /* a model this object created and frees; NULL for a preset's */
    int preset;          /* the preset this object stands for, or -1 */
    libcrc64_params params;
    uint64_t empty;
    uint64_t check;
    PyObject *name;      /* str or None */
    vectorcallfunc vectorcall;
} ModelObject;

static PyTypeObject ModelType;

/* Presets are built by the library on first use (about 113 KiB each), not when the module is imported. */
static const libcrc64_model *model_get(ModelObject *self) {
    if (self->owned) return self->owned;
    const libcrc64_model *model = libcrc64_preset_model((libcrc64_preset)self->preset);
    if (!model) PyErr_NoMemory();
    return model;
}

static PyObject *model_hash_call(ModelObject *self, const char *name, PyObject *const *args, Py_ssize_t nargs,
                                 PyObject *kwnames) {
    PyObject *obj, *crc_obj;
    if (parse_data_crc(name, args, nargs, kwnames, &obj, &crc_obj) < 0) return NULL;
    uint64_t crc = self->empty;
    if (crc_obj && crc_obj != Py_None && u64_strict(crc_obj, "crc", &crc) < 0) return NULL;
    const libcrc64_model *model = model_get(self);
    if (!model) return NULL;
    data_t data;
    if (data_acquire(obj, &data) < 0) return NULL;
    crc = data_update(model, crc, &data);
    data_release(&data);
    return PyLong_FromUnsignedLongLong(crc);
}

static PyObject *model_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf, PyObject *kwnames) {
    return model_hash_call((ModelObject *)self, "Model.__call__", args, PyVectorcall_NARGS(nargsf), kwnames);
}

static PyObject *model_update(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    return model_hash_call((ModelObject *)self, "update", args, nargs, kwnames);
}

static PyObject *model_combine(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError, "combine() takes crc1, crc2 and len2 (%zd arguments given)", nargs);
        return NULL;
    }
    uint64_t crc1, crc2, len2;
    if (u64_strict(args[0], "crc1", &crc1) < 0 || u64_strict(args[1], "crc2", &crc2) < 0 ||
        u64_strict(args[2], "len2", &len2) < 0)
        return NULL;
    const libcrc64_model *model = model_get((ModelObject *)self);
    if (!model) return NULL;
    return PyLong_FromUnsignedLongLong(libcrc64_combine(model, crc1, crc2, len2));
}

static ModelObject *model_alloc(PyTypeObject *type, libcrc64_params params, PyObject *name) {
    ModelObject *self = (ModelObject *)type->tp_alloc(type, 0);
    if (!self) return NULL;
    self->owned = NULL;
    self->preset = -1;
    self->params = params;
    self->empty = libcrc64_params_empty(params);
    self->name = Py_NewRef(name);
    self->vectorcall = model_vectorcall;
    return self;
}

static PyObject *model_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    static char *keywords[] = {"poly", "init", "xorout", "reflected", "name", NULL};
    PyObject *poly, *init, *xorout, *reflected, *name = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOOO|$O:Model", keywords, &poly, &init, &xorout, &reflected,
                                     &name))
        return NULL;
    libcrc64_params params;
    if (u64_strict(poly, "poly", &params.poly) < 0 || u64_strict(init, "init", &params.init) < 0 ||
        u64_strict(xorout, "xorout", &params.xorout) < 0)
        return NULL;
    if (!PyBool_Check(reflected)) {
        PyErr_Format(PyExc_TypeError, "reflected must be True or False, not '%.100s'", Py_TYPE(reflected)->tp_name);
        return NULL;
    }
    params.reflected = reflected == Py_True;
    if (name != Py_None && !PyUnicode_Check(name)) {
        PyErr_Format(PyExc_TypeError, "name must be a str or None, not '%.100s'", Py_TYPE(name)->tp_name);
        return NULL;
    }
    ModelObject *self = model_alloc(type, params, name);
    if (!self) return NULL;
    /* A preset's parameters share the preset's tables instead of building another 113 KiB copy. */
    for (int i = 0; i < LIBCRC64_PRESET_COUNT; i++) {
        libcrc64_params p = libcrc64_preset_params((libcrc64_preset)i);
        if (p.poly == params.poly && p.init == params.init && p.xorout == params.xorout &&
            p.reflected == params.reflected) {
            self->preset = i;
            self->check = libcrc64_preset_check((libcrc64_preset)i);
            return (PyObject *)self;
        }
    }
    self->owned = libcrc64_model_create(params);
    if (!self->owned) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    self->check = libcrc64_update(self->owned, self->empty, "123456789", 9);
    return (PyObject *)self;
}

static void model_dealloc(PyObject *op) {
    ModelObject *self = (ModelObject *)op;
    libcrc64_model_free(self->owned);
    Py_XDECREF(self->name);
    Py_TYPE(op)->tp_free(op);
}

static PyObject *model_repr(PyObject *op) {
    ModelObject *self = (ModelObject *)op;
    char text[160];
    PyOS_snprintf(text, sizeof text, "crc64.Model(poly=0x%016llx, init=0x%016llx, xorout=0x%016llx, reflected=%s",
                  (unsigned long long)self->params.poly, (unsigned long long)self->params.init,
                  (unsigned long long)self->params.xorout, self->params.reflected ? "True" : "False");
    if (self->name == Py_None) return PyUnicode_FromFormat("%s)", text);
    return PyUnicode_FromFormat("%s, name=%R)", text, self->name);
}

static int params_equal(const libcrc64_params *a, const libcrc64_params *b) {
    return a->poly == b->poly && a->init == b->init && a->xorout == b->xorout && a->reflected == b->reflected;
}

/* Two models are equal when they compute the same function: the same parameters; the name does not count. */
static PyObject *model_richcompare(PyObject *a, PyObject *b, int op) {
    if (!PyObject_TypeCheck(b, &ModelType) || (op != Py_EQ && op != Py_NE)) Py_RETURN_NOTIMPLEMENTED;
    int equal = params_equal(&((ModelObject *)a)->params, &((ModelObject *)b)->params);
    return PyBool_FromLong(op == Py_EQ ? equal : !equal);
}

static Py_hash_t model_hash(PyObject *op) {
    ModelObject *self = (ModelObject *)op;
    PyObject *key = Py_BuildValue("(KKKO)", (unsigned long long)self->params.poly,
                                  (unsigned long long)self->params.init, (unsigned long long)self->params.xorout,
                                  self->params.reflected ? Py_True : Py_False);
    if (!key) return -1;
    Py_hash_t hash = PyObject_Hash(key);
    Py_DECREF(key);
    return hash;
}

static PyObject *model_get_poly(PyObject *op, void *c) {
    (void)c;
    return PyLong_FromUnsignedLongLong(((ModelObject *)op)->params.poly);
}
static PyObject *model_get_init(PyObject *op, void *c) {
    (void)c;
    return PyLong_FromUnsignedLongLong(((ModelObject *)op)->params.init);
}
static PyObject *model_get_xorout(PyObject *op, void *c) {
    (void)c;
    return PyLong_FromUnsignedLongLong(((ModelObject *)op)->params.xorout);
}
static PyObject *model_get_reflected(PyObject *op, void *c) {
    (void)c;
    return PyBool_FromLong(((ModelObject *)op)->params.reflected);
}
static PyObject *model_get_name(PyObject *op, void *c) {
    (void)c;
    return Py_NewRef(((ModelObject *)op)->name);
}
static PyObject *model_get_empty(PyObject *op, void *c) {
    (void)c;
    return PyLong_FromUnsignedLongLong(((ModelObject *)op)->empty);
}
static PyObject *model_get_check(PyObject *op, void *c) {
    (void)c;
    return PyLong_FromUnsignedLongLong(((ModelObject *)op)->check);
}

static PyGetSetDef model_getset[] = {
    {"poly", model_get_poly, NULL, "The generator polynomial without its x**64 term, x**63 as the top bit.", NULL},
    {"init", model_get_init, NULL, "The register before the first bit, as catalogues state it (unreflected).", NULL},
    {"xorout", model_get_xorout, NULL, "The value XORed into the final register.", NULL},
    {"reflected", model_get_reflected, NULL, "True if the bits of each byte are taken least significant first "
                                             "(refin = refout).", NULL},
    {"name", model_get_name, NULL, "The catalogue name, e.g. 'CRC-64/XZ', the name given, or None.", NULL},
    {"empty", model_get_empty, NULL, "The CRC of no bytes: the value a computation starts from.", NULL},
    {"check", model_get_check, NULL, "The CRC of the nine bytes b'123456789', as catalogues list it.", NULL},
    {0},
};

static PyMethodDef model_methods[] = {
    {"update", (PyCFunction)(void (*)(void))model_update, METH_FASTCALL | METH_KEYWORDS,
     "update($self, data, /, crc=None)\n--\n\n"
     "The CRC of everything so far after `data`, continuing from `crc`: a previous result of this model, or None\n"
     "(the default) to start, which is the same as passing `empty`. `data` is any C-contiguous bytes-like object.\n"
     "Calling the model, model(data, crc=None), does the same."},
    {"combine", (PyCFunction)(void (*)(void))model_combine, METH_FASTCALL,
     "combine($self, crc1, crc2, len2, /)\n--\n\n"
     "The CRC of A + B from crc1 = CRC of A, crc2 = CRC of B and len2 = len(B) in bytes, without the data\n"
     "(e.g. a multipart object's value from its parts' values and lengths). len2 == 0 returns crc1 whatever\n"
     "crc2 is, as every CRC-64 combine does (zlib 1.2.12+'s crc32_combine returns crc1 ^ crc2 there)."},
    {0},
};

static PyTypeObject ModelType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "crc64.Model",
    .tp_basicsize = sizeof(ModelObject),
    .tp_dealloc = model_dealloc,
    .tp_vectorcall_offset = offsetof(ModelObject, vectorcall),
    .tp_repr = model_repr,
    .tp_hash = model_hash,
    .tp_call = PyVectorcall_Call,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "Model(poly, init, xorout, reflected, *, name=None)\n--\n\n"
              "A CRC-64 model in the Rocksoft / reveng parameters: `poly` without its x**64 term, `init` as\n"
              "catalogues state it, `xorout`, and `reflected` (refin = refout). Immutable and safe to share between\n"
              "threads; equal (and hashed alike) when the parameters are equal, whatever the name.\n\n"
              "model(data, crc=None) and model.update(data, crc=None) return the CRC of `data` continued from `crc`\n"
              "(a previous result, or None to start); model.combine(crc1, crc2, len2) joins two parts' values.",
    .tp_richcompare = model_richcompare,
    .tp_methods = model_methods,
    .tp_getset = model_getset,
    .tp_new = model_new,
};

/* ---- crcmod's CRC functions ---- */

/* What crcmod.mkCrcFun returns: crcfun(data, crc=initCrc), where crc is a previous result taken modulo 2**width as
 * crcmod takes it. A W-bit CRC runs as a CRC-64 whose polynomial is the W-bit one times x**(64 - W): its remainders
 * are the W-bit ones times x**(64 - W), so the W-bit register is the top W bits of the value of a normal model and,
 * bit-reversed, the bottom W bits of a reflected one (crc64/_crcmod.py builds that model, with crcmod's initCrc as
 * its empty value). The narrow widths thus run the same carry-less kernels as CRC-64. One function per width and bit
 * order keeps the shift and mask constant.
 *
 * A builtin function bound to the model rather than an object of its own type: CPython's interpreter specializes
 * calls to builtin functions, which saves about 10 ns a call (a fifth of a 16-byte call, measured by
 * python-bench.py). */
static inline PyObject *crcmod_call(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                                    uint64_t mask, unsigned shift) {
    ModelObject *model = (ModelObject *)self;
    PyObject *obj, *crc_obj;
    if (parse_data_crc("crcfun", args, nargs, kwnames, &obj, &crc_obj) < 0) return NULL;
    uint64_t crc = model->empty;
    if (crc_obj) {
        if (u64_masked(crc_obj, &crc) < 0) return NULL;
        crc = (crc & mask) << shift;
    }
    const libcrc64_model *m = model_get(model);
    if (!m) return NULL;
    data_t data;
    if (data_acquire(obj, &data) < 0) return NULL;
    crc = data_update(m, crc, &data);
    data_release(&data);
    return PyLong_FromUnsignedLongLong(crc >> shift);
}

#define CRCMOD_FUNCTION(width, shift)                                                                                  \
    static PyObject *crcmod_call_##width##_##shift(PyObject *self, PyObject *const *args, Py_ssize_t nargs,            \
                                                   PyObject *kwnames) {                                                \
        return crcmod_call(self, args, nargs, kwnames, width == 64 ? ~0ULL : (1ULL << (width & 63)) - 1, shift);      \
    }
CRCMOD_FUNCTION(8, 0)
CRCMOD_FUNCTION(8, 56)
CRCMOD_FUNCTION(16, 0)
CRCMOD_FUNCTION(16, 48)
CRCMOD_FUNCTION(24, 0)
CRCMOD_FUNCTION(24, 40)
CRCMOD_FUNCTION(32, 0)
CRCMOD_FUNCTION(32, 32)
CRCMOD_FUNCTION(64, 0)

#define CRCMOD_DOC                                                                                                     \
    "crcfun(data, crc=initCrc)\n\n"                                                                                    \
    "A CRC function as crcmod.mkCrcFun makes it: the CRC of `data` continued from `crc`, a previous result (any\n"    \
    "int, taken modulo 2**width as crcmod does); without `crc`, from initCrc. Its __self__ is the crc64.Model it\n"   \
    "runs: the CRC-64 itself, or for a narrower CRC the CRC-64 that carries its register."
#define CRCMOD_DEF(width, shift)                                                                                       \
    {"crcfun", (PyCFunction)(void (*)(void))crcmod_call_##width##_##shift, METH_FASTCALL | METH_KEYWORDS, CRCMOD_DOC}

/* By width, then reflected (the register in the bottom bits) and normal (in the top bits). */
static PyMethodDef crcmod_defs[][2] = {
    {CRCMOD_DEF(8, 0), CRCMOD_DEF(8, 56)},    {CRCMOD_DEF(16, 0), CRCMOD_DEF(16, 48)},
    {CRCMOD_DEF(24, 0), CRCMOD_DEF(24, 40)},  {CRCMOD_DEF(32, 0), CRCMOD_DEF(32, 32)},
    {CRCMOD_DEF(64, 0), CRCMOD_DEF(64, 0)},
};

static PyObject *module_crcmod_function(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (nargs != 2 || !PyObject_TypeCheck(args[0], &ModelType) || !PyLong_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "crcmod_function() takes a crc64.Model and a width");
        return NULL;
    }
    long width = PyLong_AsLong(args[1]);
    if (width == -1 && PyErr_Occurred()) return NULL;
    int row = width == 8 ? 0 : width == 16 ? 1 : width == 24 ? 2 : width == 32 ? 3 : width == 64 ? 4 : -1;
    if (row < 0) {
        PyErr_Format(PyExc_ValueError, "crcmod_function(): no width %ld (8, 16, 24, 32 or 64)", width);
        return NULL;
    }
    ModelObject *model = (ModelObject *)args[0];
    return PyCFunction_NewEx(&crcmod_defs[row][model->params.reflected ? 0 : 1], args[0], NULL);
}

/* ---- Module functions ---- */

static PyObject *preset_hash_call(libcrc64_preset preset, const char *name, PyObject *const *args, Py_ssize_t nargs,
                                  PyObject *kwnames) {
    PyObject *obj, *crc_obj;
    if (parse_data_crc(name, args, nargs, kwnames, &obj, &crc_obj) < 0) return NULL;
    uint64_t crc = 0;
    if (crc_obj && u64_strict(crc_obj, "crc", &crc) < 0) return NULL;
    const libcrc64_model *model = libcrc64_preset_model(preset);
    if (!model) return PyErr_NoMemory();
    data_t data;
    if (data_acquire(obj, &data) < 0) return NULL;
    crc = data_update(model, crc, &data);
    data_release(&data);
    return PyLong_FromUnsignedLongLong(crc);
}

static PyObject *module_xz(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    (void)module;
    return preset_hash_call(LIBCRC64_PRESET_XZ, "xz", args, nargs, kwnames);
}

static PyObject *module_nvme(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    (void)module;
    return preset_hash_call(LIBCRC64_PRESET_NVME, "nvme", args, nargs, kwnames);
}

static PyObject *module_active_kernel(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    return PyUnicode_FromString(libcrc64_active_kernel());
}

/* ---- Header forms: the C core's strict parser and formatter; crc64/__init__.py words the errors ---- */

static PyObject *module_format_text(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    uint64_t value;
    if (nargs != 2 || !PyLong_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "format_text() takes a form and a value");
        return NULL;
    }
    const long form = PyLong_AsLong(args[0]);
    if ((form == -1 && PyErr_Occurred()) || u64_strict(args[1], "value", &value) < 0) return NULL;
    char text[LIBCRC64_FORM_SIZE];
    const size_t length = libcrc64_format((libcrc64_form)form, value, text);
    return PyUnicode_FromStringAndSize(text, (Py_ssize_t)length);
}

/* parse_text(form, bytes) -> (error, value or the offset of the first invalid byte) */
static PyObject *module_parse_text(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (nargs != 2 || !PyLong_Check(args[0]) || !PyBytes_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "parse_text() takes a form and bytes");
        return NULL;
    }
    const long form = PyLong_AsLong(args[0]);
    if (form == -1 && PyErr_Occurred()) return NULL;
    uint64_t value = 0;
    size_t offset = 0;
    const libcrc64_parse_error error =
        libcrc64_parse((libcrc64_form)form, PyBytes_AS_STRING(args[1]),
                       (size_t)PyBytes_GET_SIZE(args[1]), &value, &offset);
    if (error == LIBCRC64_PARSE_INVALID_CHARACTER) return Py_BuildValue("(in)", (int)error, (Py_ssize_t)offset);
    return Py_BuildValue("(iK)", (int)error, (unsigned long long)value);
}

/* The library's kernel list, for the tests: ((name, features, supported), ...), best first. */
static PyObject *module_kernels(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    const size_t count = libcrc64_kernel_count();
    PyObject *kernels = PyTuple_New((Py_ssize_t)count);
    for (size_t i = 0; kernels && i < count; i++) {
        PyObject *row = Py_BuildValue("(ssO)", libcrc64_kernel_name(i), libcrc64_kernel_features(i),
                                      libcrc64_kernel_supported(i) ? Py_True : Py_False);
        if (!row) Py_CLEAR(kernels);
        else PyTuple_SET_ITEM(kernels, (Py_ssize_t)i, row);
    }
    return kernels;
}

static PyObject *module_version(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    return PyUnicode_FromString(libcrc64_version());
}

static PyMethodDef module_methods[] = {
    {"xz", (PyCFunction)(void (*)(void))module_xz, METH_FASTCALL | METH_KEYWORDS,
     "xz($module, data, /, crc=0)\n--\n\n"
     "CRC-64/XZ of `data`, continued from `crc` (zlib convention: 0 to start, a previous result to continue).\n"
     "This is Alibaba Cloud OSS's x-oss-hash-crc64ecma value, the OSS guide's crcmod function, Go's crc64.ECMA."},
    {"nvme", (PyCFunction)(void (*)(void))module_nvme, METH_FASTCALL | METH_KEYWORDS,
     "nvme($module, data, /, crc=0)\n--\n\n"
     "CRC-64/NVME of `data`, continued from `crc` (zlib convention: 0 to start, a previous result to continue).\n"
     "This is AWS S3's x-amz-checksum-crc64nvme value (sent as to_base64 of it)."},
    {"crcmod_function", (PyCFunction)(void (*)(void))module_crcmod_function, METH_FASTCALL,
     "crcmod_function($module, model, width, /)\n--\n\n"
     "crcmod's CRC function of `width` bits run by `model` (used by crc64.crcmod.mkCrcFun)."},
    {"active_kernel", module_active_kernel, METH_NOARGS,
     "active_kernel($module, /)\n--\n\n"
     "The name of the kernel this CPU runs, e.g. 'avx512', 'pmull-eor3' or 'slice16' (the portable one)."},
    {"kernels", module_kernels, METH_NOARGS,
     "kernels($module, /)\n--\n\n"
     "Every kernel of the library, best first, as (name, the CPU features it needs, supported here): for the tests."},
    {"format_text", (PyCFunction)(void (*)(void))module_format_text, METH_FASTCALL,
     "format_text($module, form, value, /)\n--\n\n"
     "libcrc64_format: the value in FORM_DECIMAL, FORM_HEX or FORM_BASE64 (used by crc64.to_decimal and the like)."},
    {"parse_text", (PyCFunction)(void (*)(void))module_parse_text, METH_FASTCALL,
     "parse_text($module, form, text, /)\n--\n\n"
     "libcrc64_parse of UTF-8 bytes: (PARSE_OK, value), or (the error, the offset of the first invalid byte for\n"
     "PARSE_INVALID_CHARACTER); crc64.from_decimal and the like word the errors."},
    {"version", module_version, METH_NOARGS,
     "version($module, /)\n--\n\n"
     "The version of the C library compiled into this module, e.g. '0.2.0' (also crc64.__version__)."},
    TEST_HOOK_METHODS
    {0},
};

/* Multi-phase initialization (PEP 489): what lets the module declare, on CPython 3.13 and later, that it needs no
 * GIL (see the top of this file for why it does not). */
static int module_exec(PyObject *module) {
    if (PyType_Ready(&ModelType) < 0) return -1;
    if (!NotContiguousError) {
        PyObject *bases = PyTuple_Pack(2, PyExc_BufferError, PyExc_ValueError);
        if (!bases) return -1;
        NotContiguousError = PyErr_NewExceptionWithDoc(
            "crc64.NotContiguousError",
            "A buffer that is not one C-contiguous block of bytes. Both a BufferError (what memoryview raises) and a\n"
            "ValueError (what numpy raises), so that code written for either, or for crcmod, still catches it.",
            bases, NULL);
        Py_DECREF(bases);
        if (!NotContiguousError) return -1;
    }
    PyObject *presets = PyTuple_New(LIBCRC64_PRESET_COUNT);
    if (!presets) return -1;
    for (int i = 0; i < LIBCRC64_PRESET_COUNT; i++) {
        PyObject *name = PyUnicode_FromString(libcrc64_preset_name((libcrc64_preset)i));
        if (!name) goto fail;
        ModelObject *model = model_alloc(&ModelType, libcrc64_preset_params((libcrc64_preset)i), name);
        Py_DECREF(name);
        if (!model) goto fail;
        model->preset = i;
        model->check = libcrc64_preset_check((libcrc64_preset)i);
        PyTuple_SET_ITEM(presets, i, (PyObject *)model);
    }
    if (PyModule_AddObjectRef(module, "presets", presets) < 0 ||
        PyModule_AddObjectRef(module, "Model", (PyObject *)&ModelType) < 0 ||
        PyModule_AddObjectRef(module, "NotContiguousError", NotContiguousError) < 0 ||
        PyModule_AddIntConstant(module, "GIL_RELEASE_MIN", GIL_RELEASE_MIN) < 0)
        goto fail;
    /* crc64.h's forms and parse errors, by their C names less the prefix. */
    static const struct {
        const char *name;
        int value;
    } constants[] = {
        {"FORM_DECIMAL", LIBCRC64_FORM_DECIMAL},
        {"FORM_HEX", LIBCRC64_FORM_HEX},
        {"FORM_BASE64", LIBCRC64_FORM_BASE64},
        {"PARSE_OK", LIBCRC64_PARSE_OK},
        {"PARSE_EMPTY", LIBCRC64_PARSE_EMPTY},
        {"PARSE_NEGATIVE", LIBCRC64_PARSE_NEGATIVE},
        {"PARSE_INVALID_CHARACTER", LIBCRC64_PARSE_INVALID_CHARACTER},
        {"PARSE_OVERFLOW", LIBCRC64_PARSE_OVERFLOW},
        {"PARSE_WRONG_LENGTH", LIBCRC64_PARSE_WRONG_LENGTH},
        {"PARSE_INVALID_PADDING", LIBCRC64_PARSE_INVALID_PADDING},
        {"PARSE_NON_CANONICAL", LIBCRC64_PARSE_NON_CANONICAL},
    };
    for (size_t i = 0; i < sizeof constants / sizeof constants[0]; i++)
        if (PyModule_AddIntConstant(module, constants[i].name, constants[i].value) < 0) goto fail;
    Py_DECREF(presets);
    return 0;
fail:
    Py_DECREF(presets);
    return -1;
}

static PyModuleDef_Slot module_slots[] = {
    {Py_mod_exec, (void *)module_exec},
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "crc64._crc64",
    .m_doc = "The C extension behind the crc64 package; use the crc64 package, not this module.",
    .m_size = 0,
    .m_methods = module_methods,
    .m_slots = module_slots,
};

PyMODINIT_FUNC PyInit__crc64(void) {
    return PyModuleDef_Init(&module_def);
}
