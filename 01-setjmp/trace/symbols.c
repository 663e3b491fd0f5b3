/*
 * symbols.c - name the function that contains an address, using the
 * symbol table in the program's own file (/proc/self/exe).  Unlike
 * dladdr(), this knows static functions too, and needs no -rdynamic.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frames.h"

static struct {
    const Elf64_Sym *sym;     /* the .symtab entries */
    size_t           count;   /* how many */
    const char      *names;   /* the .strtab they point into */
    uintptr_t        bias;    /* where the program was loaded */
    int              loaded;  /* 0: not yet, 1: ok, -1: unavailable */
} table;

static int first_object(struct dl_phdr_info *info, size_t size, void *bias)
{
    (void)size;
    *(uintptr_t *)bias = info->dlpi_addr;   /* the first is the program */
    return 1;
}

/* Map the program file and find its symbol table: 0, or -1. */
static int load(void)
{
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0)
        return -1;
    char *file = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (file == MAP_FAILED)
        return -1;
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)file;
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(file + eh->e_shoff);
    for (int i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_SYMTAB)
            continue;
        table.sym = (const Elf64_Sym *)(file + sh[i].sh_offset);
        table.count = sh[i].sh_size / sizeof(Elf64_Sym);
        table.names = file + sh[sh[i].sh_link].sh_offset;
    }
    dl_iterate_phdr(first_object, &table.bias);
    return table.sym ? 0 : -1;
}

static const char *lookup(uintptr_t a)
{
    for (size_t i = 0; i < table.count; i++) {
        const Elf64_Sym *s = &table.sym[i];
        if (ELF64_ST_TYPE(s->st_info) == STT_FUNC &&
            a >= s->st_value && a < s->st_value + s->st_size)
            return table.names + s->st_name;
    }
    return "??";
}

void symbol_name(const void *addr, char *name, size_t size)
{
    if (table.loaded == 0)
        table.loaded = load() == 0 ? 1 : -1;
    const char *found = "??";
    if (table.loaded > 0)
        found = lookup((uintptr_t)addr - table.bias);
    size_t n = strcspn(found, ".");   /* "bar.isra.0" is bar() */
    if (n >= size)
        n = size - 1;
    memcpy(name, found, n);
    name[n] = '\0';
}
