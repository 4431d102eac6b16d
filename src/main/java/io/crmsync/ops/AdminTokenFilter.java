package io.crmsync.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Admin actions that change state (replaying dead letters, re-driving pending entries: every POST to an actuator
 * endpoint) and reading dead letters or synced documents (which may hold personal data) need
 * {@code Authorization: Bearer <CRM_SYNC_ADMIN_TOKEN>}; with no token configured they are refused. Every attempt is
 * logged, allowed or not.
 */
class AdminTokenFilter extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(AdminTokenFilter.class);

    private final byte[] token;

    AdminTokenFilter(String token) {
        this.token = token == null ? new byte[0] : token.trim().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        boolean changesState = "POST".equalsIgnoreCase(request.getMethod()) || "DELETE".equalsIgnoreCase(request.getMethod());
        boolean readsPayloads = request.getRequestURI().contains("/deadletters") || request.getRequestURI().contains("/documents");
        return !changesState && !readsPayloads;
    }

    /** Registered for every actuator path, in whichever context serves the actuator. */
    static FilterRegistrationBean<AdminTokenFilter> registration(String token) {
        FilterRegistrationBean<AdminTokenFilter> registration = new FilterRegistrationBean<>(new AdminTokenFilter(token));
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String action = request.getMethod() + " " + request.getRequestURI()
                + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        if (token.length == 0) {
            LOG.warn("Admin action {} from {} refused: admin actions are disabled (CRM_SYNC_ADMIN_TOKEN is not set)",
                    action, request.getRemoteAddr());
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "admin actions are disabled: set CRM_SYNC_ADMIN_TOKEN");
            return;
        }
        String header = request.getHeader("Authorization");
        byte[] given = header != null && header.startsWith("Bearer ")
                ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(token, given)) {
            LOG.warn("Admin action {} from {} refused: missing or wrong bearer token", action, request.getRemoteAddr());
            // RFC 6750: a 401 names its scheme, or HTTP clients (Jetty's, say) refuse the response as malformed
            response.setHeader("WWW-Authenticate", "Bearer realm=\"crm-sync\"");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "admin token required");
            return;
        }
        // the action itself logs what it did, once (replay, re-drive, repair): this line would only repeat it
        LOG.debug("Admin action {} from {}", action, request.getRemoteAddr());
        chain.doFilter(request, response);
    }
}
