/*
 * Single-broker Kafka-protocol cluster for tests, built on librdkafka's mock cluster (no real broker can be
 * installed on the build machines). Driven by libs/testing/src/lib/kafka-mock.ts.
 *
 * Usage: kafka-mock [topic[:partitions]]...
 * Protocol on stdout, one line each: the bootstrap address once the cluster listens, then "down" / "up"
 * after each SIGUSR1 / SIGUSR2 has taken effect. SIGTERM or SIGINT shuts down cleanly.
 *
 * Build: gcc -O2 -o kafka-mock kafka-mock.c -lrdkafka
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define BROKER_ID 1

static volatile sig_atomic_t stop_requested = 0;
static volatile sig_atomic_t down_requested = 0;
static volatile sig_atomic_t up_requested = 0;

/* Mock-cluster calls take locks and allocate, which is not async-signal-safe: the handler only sets flags
 * and the main loop does the work. */
static void on_signal(int sig) {
        switch (sig) {
        case SIGUSR1:
                down_requested = 1;
                break;
        case SIGUSR2:
                up_requested = 1;
                break;
        default:
                stop_requested = 1;
                break;
        }
}

/* Drops librdkafka's chatter (e.g. "no bootstrap.servers" for the bookkeeping handle) except real errors,
 * which go to stderr so the TypeScript side can include them in its failure messages. */
static void on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
        (void)rk;
        if (level <= 3)
                fprintf(stderr, "kafka-mock: %s: %s\n", fac, buf);
}

static int parse_topic(const char *spec, char *name, size_t name_size, int *partitions) {
        const char *colon = strrchr(spec, ':');
        size_t len        = colon ? (size_t)(colon - spec) : strlen(spec);
        *partitions       = 1;
        if (len == 0 || len >= name_size)
                return -1;
        memcpy(name, spec, len);
        name[len] = '\0';
        if (colon) {
                char *end;
                long n = strtol(colon + 1, &end, 10);
                if (*end != '\0' || end == colon + 1 || n < 1 || n > 10000)
                        return -1;
                *partitions = (int)n;
        }
        return 0;
}

int main(int argc, char **argv) {
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        rd_kafka_mock_cluster_t *mc;
        struct sigaction sa;
        sigset_t blocked, waitmask;
        int i;

#ifdef __linux__
        /* A test runner killed with SIGKILL cannot clean up; without this the broker would outlive it. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() == 1)
                return 0;
#endif

        /* Block the signals outside sigsuspend so none can arrive between checking the flags and sleeping. */
        sigemptyset(&blocked);
        sigaddset(&blocked, SIGTERM);
        sigaddset(&blocked, SIGINT);
        sigaddset(&blocked, SIGUSR1);
        sigaddset(&blocked, SIGUSR2);
        /* librdkafka's threads inherit this mask, so signals are only ever delivered to the main thread. */
        pthread_sigmask(SIG_BLOCK, &blocked, &waitmask);
        sigdelset(&waitmask, SIGTERM);
        sigdelset(&waitmask, SIGINT);
        sigdelset(&waitmask, SIGUSR1);
        sigdelset(&waitmask, SIGUSR2);

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGUSR1, &sa, NULL);
        sigaction(SIGUSR2, &sa, NULL);

        conf = rd_kafka_conf_new();
        rd_kafka_conf_set_log_cb(conf, on_log);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "kafka-mock: rd_kafka_new failed: %s\n", errstr);
                return 1;
        }

        mc = rd_kafka_mock_cluster_new(rk, 1);
        if (!mc) {
                fprintf(stderr, "kafka-mock: rd_kafka_mock_cluster_new failed\n");
                rd_kafka_destroy(rk);
                return 1;
        }

        for (i = 1; i < argc; i++) {
                char name[250];
                int partitions;
                rd_kafka_resp_err_t err;
                if (parse_topic(argv[i], name, sizeof(name), &partitions) != 0) {
                        fprintf(stderr, "kafka-mock: invalid topic spec '%s' (want name:partitions)\n", argv[i]);
                        rd_kafka_mock_cluster_destroy(mc);
                        rd_kafka_destroy(rk);
                        return 2;
                }
                err = rd_kafka_mock_topic_create(mc, name, partitions, 1);
                if (err) {
                        fprintf(stderr, "kafka-mock: creating topic '%s' failed: %s\n", name, rd_kafka_err2str(err));
                        rd_kafka_mock_cluster_destroy(mc);
                        rd_kafka_destroy(rk);
                        return 1;
                }
        }

        printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
        fflush(stdout);

        while (!stop_requested) {
                sigsuspend(&waitmask);
                /* The TypeScript side waits for each acknowledgement before sending the next signal, so at most
                 * one of these is set at a time; each still gets its own line so acknowledgements stay in step. */
                if (down_requested) {
                        down_requested = 0;
                        rd_kafka_mock_broker_set_down(mc, BROKER_ID);
                        printf("down\n");
                        fflush(stdout);
                }
                if (up_requested) {
                        up_requested = 0;
                        rd_kafka_mock_broker_set_up(mc, BROKER_ID);
                        printf("up\n");
                        fflush(stdout);
                }
        }

        rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(rk);
        return 0;
}
