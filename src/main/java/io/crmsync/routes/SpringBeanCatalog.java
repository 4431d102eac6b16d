package io.crmsync.routes;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * The running app's beans, asked by name and type only: nothing is created or handed to the validation context.
 */
final class SpringBeanCatalog implements BeanCatalog {

    private final ListableBeanFactory beans;

    SpringBeanCatalog(ListableBeanFactory beans) {
        this.beans = beans;
    }

    @Override
    public Class<?> typeOf(String name) {
        return beans.containsBean(name) ? beans.getType(name, false) : null;
    }
}
