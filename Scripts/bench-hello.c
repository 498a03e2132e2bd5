/* The HTTP layer's limit for Scripts/bench: a minimal libmicrohttpd hello world, configured like Guichet's daemon
 * (thread pool + poll(2), the same pool size, answering on the second access-handler call so that keep-alive holds).
 * Build: gcc -O2 -o hello Scripts/bench-hello.c $(pkg-config --cflags --libs libmicrohttpd)
 * Run:   hello PORT [THREADS]   (listens on 127.0.0.1; prints "listening" once ready; stops on SIGTERM/SIGINT) */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char body[] = "{\"status\":\"ok\"}";
static struct MHD_Response *response;

static enum MHD_Result answer(void *cls, struct MHD_Connection *connection, const char *url, const char *method,
                              const char *version, const char *upload_data, size_t *upload_data_size, void **state) {
    static int first_call;
    (void)cls; (void)url; (void)method; (void)version; (void)upload_data;
    if (*state == NULL) { /* first call: headers only; answering now would make MHD close the connection */
        *state = &first_call;
        return MHD_YES;
    }
    if (*upload_data_size != 0) { *upload_data_size = 0; return MHD_YES; }
    return MHD_queue_response(connection, MHD_HTTP_OK, response);
}

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s PORT [THREADS]\n", argv[0]); return 2; }
    unsigned threads = argc > 2 ? (unsigned)atoi(argv[2]) : 4;
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t)atoi(argv[1]));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    response = MHD_create_response_from_buffer(sizeof body - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(response, "Content-Type", "application/json");
    struct MHD_Daemon *daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL, NULL,
        answer, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&address,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_END);
    if (daemon == NULL) { fprintf(stderr, "hello: cannot start the daemon on port %s\n", argv[1]); return 1; }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    printf("listening on 127.0.0.1:%s with %u threads\n", argv[1], threads);
    fflush(stdout);
    while (!stop) pause();
    MHD_stop_daemon(daemon);
    MHD_destroy_response(response);
    return 0;
}
