// libmicrohttpd for Swift: the header, plus `static inline` shims for what Swift cannot call directly.
// Swift imports neither C variadic functions nor function-like macros, so each shim below exists because the
// libmicrohttpd entry point it wraps is variadic. Only the HTTPServer module imports this (rule 2, Sources/README.md).
#ifndef GUICHET_CMICROHTTPD_SHIM_H
#define GUICHET_CMICROHTTPD_SHIM_H

#include <microhttpd.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/// Starts a daemon with every option in `options`, an array ending with `{MHD_OPTION_END, 0, NULL}`.
/// Exists because `MHD_start_daemon` is variadic; the options travel as one `MHD_OPTION_ARRAY`, which the header
/// documents as: "For options that expect two pointer arguments, the first argument must be cast to `intptr_t`."
/// No accept-policy callback: every client may connect.
static inline struct MHD_Daemon *
guichet_mhd_start_daemon(unsigned int flags, uint16_t port,
                         MHD_AccessHandlerCallback handler, void *handler_cls,
                         const struct MHD_OptionItem *options)
{
    return MHD_start_daemon(flags, port, NULL, NULL, handler, handler_cls,
                            MHD_OPTION_ARRAY, options,
                            MHD_OPTION_END);
}

/// The port the daemon listens on (the real one when it was started on port 0), or 0 when unknown.
/// Exists because `MHD_get_daemon_info` is variadic.
static inline uint16_t
guichet_mhd_daemon_port(struct MHD_Daemon *daemon)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return (NULL == info) ? 0 : info->port;
}

/// The client's address ("Returns essentially a `struct sockaddr **`"), or NULL when libmicrohttpd has none.
/// Exists because `MHD_get_connection_info` is variadic.
static inline const struct sockaddr *
guichet_mhd_client_address(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return (NULL == info) ? NULL : info->client_addr;
}

/// The connection's socket, or -1 when libmicrohttpd has none. Exists because `MHD_get_connection_info` is
/// variadic. The header-deadline watchdog shuts it down (never closes it: the descriptor stays libmicrohttpd's).
static inline int
guichet_mhd_connection_fd(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    return (NULL == info) ? -1 : (int) info->connect_fd;
}

/// The pointer the connection-notify callback stored in its `socket_context` ("the client-specific pointer to a
/// `void *` that was (possibly) set during a MHD_NotifyConnectionCallback when the socket was first accepted"), or
/// NULL. Exists because `MHD_get_connection_info` is variadic. The header deadlines keep one slot per connection there.
static inline void *
guichet_mhd_socket_context(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return (NULL == info) ? NULL : info->socket_context;
}

#endif
