#include <png.h>
#include <stdio.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/// A growing malloc'd buffer that libpng's write callback appends to.
typedef struct {
    unsigned char *bytes;
    size_t size;
    size_t capacity;
    int failed;
} cpng_memory;

static inline void cpng_append(png_structp png, png_bytep data, png_size_t length) {
    cpng_memory *out = (cpng_memory *)png_get_io_ptr(png);
    if (out->failed) return;
    if (out->size + length > out->capacity) {
        size_t capacity = out->capacity ? out->capacity : 1 << 16;
        while (capacity < out->size + length) capacity *= 2;
        unsigned char *grown = (unsigned char *)realloc(out->bytes, capacity);
        if (!grown) { out->failed = 1; return; }
        out->bytes = grown;
        out->capacity = capacity;
    }
    memcpy(out->bytes + out->size, data, length);
    out->size += length;
}

static inline void cpng_flush(png_structp png) { (void)png; }

/// Encodes `height` rows of `width` pixels, each a native-endian 32-bit word 0x??RRGGBB (cairo's RGB24), rows
/// `stride` bytes apart, as an 8-bit RGB PNG at zlib level `level`, every row with the Up filter, into a malloc'd buffer
/// (`*png_bytes`, `*png_size`; the caller frees it). libpng reports errors by longjmp, which only C can catch: hence
/// this one function. Returns 0, or -1 with libpng's message in `message` (`message_size` bytes).
static inline int cpng_encode_rgb24(
    const unsigned char *pixels, int width, int height, int stride, int level, unsigned char **png_bytes,
    size_t *png_size, char *message, size_t message_size)
{
    cpng_memory out = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        png_destroy_write_struct(&png, &info);
        snprintf(message, message_size, "libpng could not start");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(out.bytes);
        snprintf(message, message_size, "libpng failed to encode the picture");
        return -1;
    }
    png_set_write_fn(png, &out, cpng_append, cpng_flush);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
        PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, level);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
    png_write_info(png, info);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    png_set_bgr(png);
    png_set_filler(png, 0, PNG_FILLER_AFTER);
#else
    png_set_filler(png, 0, PNG_FILLER_BEFORE);
#endif
    for (int row = 0; row < height; row++) png_write_row(png, (png_const_bytep)(pixels + (size_t)row * (size_t)stride));
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    if (out.failed) {
        free(out.bytes);
        snprintf(message, message_size, "out of memory for the picture");
        return -1;
    }
    *png_bytes = out.bytes;
    *png_size = out.size;
    return 0;
}

/// Frees what `cpng_encode_rgb24` returned.
static inline void cpng_free(unsigned char *png_bytes) { free(png_bytes); }
