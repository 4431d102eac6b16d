package io.crmsync.ops.cli;

import io.crmsync.demo.Demo;

final class DemoCommand implements Command {

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "run the service against embedded Redis, MongoDB and PostgreSQL, fed sample events";
    }

    @Override
    public int run(Class<?> application, String[] args) throws Exception {
        Demo.run(application, args);
        // the service keeps running until Ctrl-C; main must not exit with a code before then
        Thread.currentThread().join();
        return 0;
    }
}
