/* Parallel merge sort with pthreads (examples/workloads/README.md): each thread maps its own
 * array and scratch buffer (mmap: no page holds two threads' data, whichever malloc arena a
 * thread would get), fills and sorts it (private); the main thread then merges the sorted
 * runs into one output array (the only shared phase). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PER_THREAD 4096

typedef struct { long id; int *data; } run_t;

static void merge_sort(int *a, int *tmp, int n) {
    if (n < 2) return;
    int h = n / 2;
    merge_sort(a, tmp, h);
    merge_sort(a + h, tmp, n - h);
    int i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
    while (i < h) tmp[k++] = a[i++];
    while (j < n) tmp[k++] = a[j++];
    memcpy(a, tmp, (size_t)n * sizeof *a);
}

static void *worker(void *arg) {
    run_t *run = arg;
    unsigned seed = (unsigned)run->id * 2654435761u + 1;
    size_t bytes = PER_THREAD * sizeof(int);
    int *data = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int *tmp = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (data == MAP_FAILED || tmp == MAP_FAILED) exit(2);
    for (int i = 0; i < PER_THREAD; i++) data[i] = (int)(rand_r(&seed) % 1000000);
    merge_sort(data, tmp, PER_THREAD);
    /* tmp stays mapped until exit: an munmap would let the next thread's mmap reuse its
     * virtual pages, and the trace format has no unmap records (docs/workloads.md) */
    run->data = data;
    return NULL;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    if (threads < 1 || threads > 64) return 2;
    pthread_t tid[64];
    run_t runs[64];
    for (long t = 0; t < threads; t++) {
        runs[t].id = t;
        pthread_create(&tid[t], NULL, worker, &runs[t]);
    }
    for (int t = 0; t < threads; t++) pthread_join(tid[t], NULL);
    int total = threads * PER_THREAD, *out = malloc((size_t)total * sizeof *out);
    int pos[64] = {0};
    for (int k = 0; k < total; k++) {  /* k-way merge of the sorted runs */
        int best = -1;
        for (int t = 0; t < threads; t++)
            if (pos[t] < PER_THREAD && (best < 0 || runs[t].data[pos[t]] < runs[best].data[pos[best]]))
                best = t;
        out[k] = runs[best].data[pos[best]++];
    }
    for (int k = 1; k < total; k++)
        if (out[k - 1] > out[k]) return 1;
    printf("sorted %d\n", total);
    return 0;
}
