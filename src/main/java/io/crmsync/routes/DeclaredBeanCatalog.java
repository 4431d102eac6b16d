package io.crmsync.routes;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.SimpleBeanDefinitionRegistry;
import org.springframework.context.annotation.AnnotationBeanNameGenerator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.util.ClassUtils;

/**
 * The beans the app's own classes declare ({@code @Bean} methods and {@code @Component} classes under a package),
 * read from the classes alone. The offline {@code validate} command uses it: starting the app would need Redis and
 * MongoDB, and every bean a route can name is declared in the app's own code, so the declarations are the list.
 */
public final class DeclaredBeanCatalog implements BeanCatalog {

    private final Map<String, Class<?>> types = new TreeMap<>();

    public DeclaredBeanCatalog(String basePackage) {
        ClassLoader loader = getClass().getClassLoader();
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(true);
        AnnotationBeanNameGenerator names = AnnotationBeanNameGenerator.INSTANCE;
        for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
            Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), loader);
            types.put(names.generateBeanName(candidate, new SimpleBeanDefinitionRegistry()), type);
            for (Method method : type.getDeclaredMethods()) {
                Bean bean = method.getAnnotation(Bean.class);
                if (bean != null) {
                    String[] declared = bean.name().length > 0 ? bean.name() : bean.value();
                    for (String name : declared.length > 0 ? declared : new String[] {method.getName()}) {
                        types.put(name, method.getReturnType());
                    }
                }
            }
        }
    }

    @Override
    public Class<?> typeOf(String name) {
        return types.get(name);
    }

    Map<String, Class<?>> all() {
        return types;
    }
}
