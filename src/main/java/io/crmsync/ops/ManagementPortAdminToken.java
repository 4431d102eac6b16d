package io.crmsync.ops;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * With {@code management.server.port} set, the actuator runs in a child context that does not get the main
 * context's filters: the admin token is registered there too, so a separate port never means an open one.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
class ManagementPortAdminToken {

    @Bean
    FilterRegistrationBean<AdminTokenFilter> managementAdminTokenFilter(OpsProperties properties) {
        return AdminTokenFilter.registration(properties.adminToken());
    }
}
