package io.trainserve.service.training;

import static io.trainserve.service.support.TestFiles.SOFTMAX_CSV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Training;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * What {@code POST /jobs} asks of the database on the request thread (MockMvc runs it on the test thread):
 * does the dataset still exist, then the job row, its scheduler execution and the audit event in one
 * transaction. Its ref and description come from the catalog's memo after the first job on a dataset.
 */
@ApiTest
@Import(JobSubmitStatementsTest.Counting.class)
class JobSubmitStatementsTest {
    /** SQL statements prepared and commits made on the thread that called {@link #record}. */
    static final ThreadLocal<List<String>> RECORDED = new ThreadLocal<>();

    @Autowired
    MockMvc mvc;

    @Test
    void aJobIsOneExistenceCheckAndThreeInsertsInOneTransaction() throws Exception {
        String ds = Training.upload(mvc, SOFTMAX_CSV);
        submit("first", ds); // reads the dataset's row and description once
        List<String> sql = record(() -> submit("second", ds));
        assertThat(sql).as("statements and commits of the second POST /jobs").hasSize(5);
        assertThat(sql.get(0)).isEqualTo("select count(*) from datasets where id = ?");
        assertThat(sql.subList(1, 4)).satisfiesExactlyInAnyOrder(
                s -> assertThat(s).startsWith("insert into jobs"),
                s -> assertThat(s).startsWith("insert into scheduled_tasks"),
                s -> assertThat(s).startsWith("insert into audit_events"));
        assertThat(sql.get(4)).isEqualTo("commit");
    }

    private void submit(String modelId, String ds) throws Exception {
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content("""
                {"modelId": "%s", "datasetId": "%s", "target": "label",
                 "model": {"layers": [{"type": "dense", "units": 3, "activation": "softmax"}], "loss": "sparse_categorical_crossentropy"},
                 "training": {"optimizer": "sgd", "epochs": 1}}
                """.formatted(modelId, ds))).andExpect(status().isAccepted());
    }

    interface Action {
        void run() throws Exception;
    }

    static List<String> record(Action action) throws Exception {
        List<String> sql = new ArrayList<>();
        RECORDED.set(sql);
        try {
            action.run();
        } finally {
            RECORDED.remove();
        }
        return sql;
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Counting {
        @Bean
        static BeanPostProcessor countingDataSource() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof DataSource ds ? proxy(DataSource.class, ds, Counting::dataSourceCall) : bean;
                }
            };
        }

        private static Object dataSourceCall(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
            Object result = m.invoke(target, args);
            return result instanceof Connection c ? proxy(Connection.class, c, Counting::connectionCall) : result;
        }

        private static Object connectionCall(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
            List<String> sql = RECORDED.get();
            if (sql != null && m.getName().equals("prepareStatement")) sql.add(((String) args[0]).strip().toLowerCase(Locale.ROOT));
            if (sql != null && m.getName().equals("commit")) sql.add("commit");
            return m.invoke(target, args);
        }

        interface Call {
            Object apply(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable;
        }

        @SuppressWarnings("unchecked")
        private static <T> T proxy(Class<T> type, T target, Call call) {
            InvocationHandler h = (p, m, args) -> {
                try {
                    return call.apply(target, m, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            };
            return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, h);
        }
    }
}
