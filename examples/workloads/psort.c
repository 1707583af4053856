/* Parallel merge sort with pthreads (examples/workloads/README.md): each thread allocates,
 * fills and sorts its own array with its own scratch buffer (mostly private); the main
 * thread then merges the sorted runs into one output array (the only shared phase). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    run->data = malloc(PER_THREAD * sizeof *run->data);
    int *tmp = malloc(PER_THREAD * sizeof *tmp);
    for (int i = 0; i < PER_THREAD; i++) run->data[i] = (int)(rand_r(&seed) % 1000000);
    merge_sort(run->data, tmp, PER_THREAD);
    free(tmp);
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
