/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs a fuzz target without libFuzzer: every file of the corpus folders given, then random
 * mutations of them (bit flips, byte changes, insertions, deletions, splices of two inputs)
 * until the time is up. CI runs each target this way for a few seconds on every build.
 *
 *   fuzz-NAME [-t SECONDS] [-s SEED] [-n MAX_MUTATIONS] CORPUS_DIR_OR_FILE...
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_INPUT (64 * 1024)

struct input {
        uint8_t *data;
        size_t size;
};

static struct input *inputs;
static size_t n_inputs;

static void add_file(const char *path)
{
        FILE *f = fopen(path, "rbe");
        struct input in = {.data = malloc(FUZZ_MAX_INPUT)};

        if (!f || !in.data) {
                fprintf(stderr, "cannot read %s: %s\n", path, strerror(errno));
                exit(2);
        }
        in.size = fread(in.data, 1, FUZZ_MAX_INPUT, f);
        fclose(f);
        inputs = realloc(inputs, (n_inputs + 1) * sizeof(*inputs));
        if (!inputs)
                exit(2);
        inputs[n_inputs++] = in;
}

static void add_path(const char *path)
{
        struct stat st;
        struct dirent **names;
        int n;

        if (stat(path, &st) < 0) {
                fprintf(stderr, "cannot read %s: %s\n", path, strerror(errno));
                exit(2);
        }
        if (!S_ISDIR(st.st_mode)) {
                add_file(path);
                return;
        }
        n = scandir(path, &names, NULL, alphasort);
        for (int i = 0; i < n; i++) {
                char child[4096];

                if (names[i]->d_name[0] != '.') {
                        snprintf(child, sizeof(child), "%s/%s", path, names[i]->d_name);
                        add_file(child);
                }
                free(names[i]);
        }
        free(names);
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
        /* xorshift64*: reproducible from the seed printed at the start */
        rng_state ^= rng_state >> 12;
        rng_state ^= rng_state << 25;
        rng_state ^= rng_state >> 27;
        return rng_state * 0x2545F4914F6CDD1DULL;
}

static size_t mutate(uint8_t *buf, size_t size)
{
        static const char *const tokens[] = {
                "\n",
                " ",
                "\"",
                "'",
                "\\",
                "${HOME}",
                "${",
                "}",
                "#",
                "include ",
                "[a0==1]",
                "=EPERM",
                "airlock-profile 1\n",
                "reset ",
                "unbind /",
                "\\x41",
                "\r\n",
                "\t",
        };
        unsigned rounds = 1 + (unsigned)(rnd() % 4);

        for (unsigned k = 0; k < rounds; k++) {
                size_t pos = size ? (size_t)(rnd() % size) : 0;

                switch (rnd() % 6) {
                case 0: /* flip a bit */
                        if (size)
                                buf[pos] ^= (uint8_t)(1u << (rnd() % 8));
                        break;
                case 1: /* random byte */
                        if (size)
                                buf[pos] = (uint8_t)rnd();
                        break;
                case 2: { /* delete a run */
                        size_t len = size ? 1 + (size_t)(rnd() % 16) : 0;

                        if (pos + len > size)
                                len = size - pos;
                        memmove(buf + pos, buf + pos + len, size - pos - len);
                        size -= len;
                        break;
                }
                case 3:   /* insert a token */
                case 4: { /* or a piece of another input */
                        const uint8_t *src;
                        size_t len;

                        if (rnd() % 2) {
                                src = (const uint8_t *)
                                        tokens[rnd() % (sizeof(tokens) / sizeof(tokens[0]))];
                                len = strlen((const char *)src);
                        } else {
                                const struct input *o = &inputs[rnd() % n_inputs];
                                size_t from = o->size ? (size_t)(rnd() % o->size) : 0;

                                src = o->data + from;
                                len = o->size - from;
                                if (len > 64)
                                        len = (size_t)(rnd() % 64);
                        }
                        if (size + len > FUZZ_MAX_INPUT)
                                break;
                        memmove(buf + pos + len, buf + pos, size - pos);
                        memcpy(buf + pos, src, len);
                        size += len;
                        break;
                }
                default: /* duplicate a line-sized chunk */
                        if (size && size * 2 <= FUZZ_MAX_INPUT) {
                                size_t len = size - pos > 80 ? 80 : size - pos;

                                memmove(buf + pos + len, buf + pos, size - pos);
                                size += len;
                        }
                        break;
                }
        }
        return size;
}

int main(int argc, char **argv)
{
        double seconds = 5;
        unsigned long long max = ~0ULL, done = 0;
        uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
        struct timespec start, now;
        uint8_t *buf = malloc(FUZZ_MAX_INPUT);
        int opt;

        while ((opt = getopt(argc, argv, "t:s:n:")) != -1) {
                switch (opt) {
                case 't':
                        seconds = strtod(optarg, NULL);
                        break;
                case 's':
                        seed = strtoull(optarg, NULL, 0);
                        break;
                case 'n':
                        max = strtoull(optarg, NULL, 0);
                        break;
                default:
                        fprintf(stderr, "usage: %s [-t SECONDS] [-s SEED] [-n N] CORPUS...\n",
                                argv[0]);
                        return 2;
                }
        }
        if (optind >= argc || !buf) {
                fprintf(stderr, "usage: %s [-t SECONDS] [-s SEED] [-n N] CORPUS...\n", argv[0]);
                return 2;
        }
        for (int i = optind; i < argc; i++)
                add_path(argv[i]);
        if (n_inputs == 0) {
                fprintf(stderr, "empty corpus\n");
                return 2;
        }
        for (size_t i = 0; i < n_inputs; i++)
                LLVMFuzzerTestOneInput(inputs[i].data, inputs[i].size);
        rng_state = seed ? seed : 1;
        printf("%s: %zu corpus inputs replayed; mutating with seed %llu for %.1f s\n", argv[0],
               n_inputs, (unsigned long long)seed, seconds);
        fflush(stdout);
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (;;) {
                const struct input *in = &inputs[rnd() % n_inputs];
                size_t size;

                clock_gettime(CLOCK_MONOTONIC, &now);
                if (done >= max || (double)(now.tv_sec - start.tv_sec) +
                                                   (double)(now.tv_nsec - start.tv_nsec) / 1e9 >=
                                           seconds)
                        break;
                memcpy(buf, in->data, in->size);
                size = mutate(buf, in->size);
                LLVMFuzzerTestOneInput(buf, size);
                done++;
        }
        printf("%s: %llu mutated inputs, no crash\n", argv[0], done);
        free(buf);
        return 0;
}
