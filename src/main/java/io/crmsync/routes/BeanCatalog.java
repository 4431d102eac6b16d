package io.crmsync.routes;

/**
 * The beans a route may refer to by name. The running app answers from its Spring context; the offline
 * {@code validate} command from the beans the app's classes declare, without creating any of them.
 */
interface BeanCatalog {

    /** @return the bean's type, or null when the app has no bean of that name */
    Class<?> typeOf(String name);
}
