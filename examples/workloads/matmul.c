/* C = A * B with pthreads, rows of C split between the threads (examples/workloads/README.md).
 * Every thread reads all of B (heavily shared); it initialises and writes its own rows of A
 * and C (private, first-touched by their thread).  The main thread initialises B. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define N 64

static double A[N][N], B[N][N], C[N][N];
static int threads;

static void *worker(void *arg) {
    long id = (long)arg;
    int lo = (int)(id * N / threads), hi = (int)((id + 1) * N / threads);
    for (int i = lo; i < hi; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = (double)(i + j);
            C[i][j] = 0.0;
        }
    for (int i = lo; i < hi; i++)
        for (int k = 0; k < N; k++)
            for (int j = 0; j < N; j++)
                C[i][j] += A[i][k] * B[k][j];
    return NULL;
}

int main(int argc, char **argv) {
    threads = argc > 1 ? atoi(argv[1]) : 2;
    if (threads < 1 || threads > 64) return 2;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) B[i][j] = (double)(i == j);
    pthread_t tid[64];
    for (long t = 0; t < threads; t++) pthread_create(&tid[t], NULL, worker, (void *)t);
    for (int t = 0; t < threads; t++) pthread_join(tid[t], NULL);
    double sum = 0.0;
    for (int i = 0; i < N; i++) sum += C[i][i];
    printf("trace(C) = %g\n", sum);
    return 0;
}
