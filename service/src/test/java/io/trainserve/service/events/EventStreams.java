package io.trainserve.service.events;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.Await;
import io.trainserve.service.support.Contract;
import java.io.UnsupportedEncodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/** Opens the event streams through MockMvc (async requests) and reads the events written so far. */
final class EventStreams {
    record Event(String id, String name, String data) {
    }

    private final MockMvc mvc;

    EventStreams(MockMvc mvc) {
        this.mvc = mvc;
    }

    MvcResult open(String jobId, String lastEventId) throws Exception {
        var request = get("/jobs/{id}/events", jobId).accept(MediaType.TEXT_EVENT_STREAM);
        if (lastEventId != null) request.header("Last-Event-ID", lastEventId);
        return mvc.perform(request).andExpect(request().asyncStarted()).andReturn();
    }

    MvcResult openList() throws Exception {
        return mvc.perform(get("/jobs/events").accept(MediaType.TEXT_EVENT_STREAM)).andExpect(request().asyncStarted()).andReturn();
    }

    static void awaitEvent(MvcResult stream, String name) {
        Await.until(() -> events(stream).stream().anyMatch(e -> name.equals(e.name())), Duration.ofSeconds(10), "a " + name + " event");
    }

    /** Waits for the stream to end, checks the response against the contract, returns its events. */
    List<Event> finish(MvcResult stream) throws Exception {
        stream.getAsyncResult(Duration.ofSeconds(60).toMillis()); // an upper bound for a loaded machine, not a wait
        mvc.perform(asyncDispatch(stream)).andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM))
                .andExpect(Contract.matches());
        return events(stream);
    }

    /** The statuses GET /jobs/events reported for one job, in order. */
    static List<String> statusesOf(MvcResult list, String jobId) {
        return events(list).stream().filter(e -> "status".equals(e.name()) && jobId.equals(JsonPath.read(e.data(), "$.id")))
                .map(e -> JsonPath.<String>read(e.data(), "$.status")).toList();
    }

    static List<String> epochIds(List<Event> events) {
        return events.stream().filter(e -> "epoch".equals(e.name())).map(Event::id).toList();
    }

    /** Parses the text/event-stream written so far (complete events only). */
    static List<Event> events(MvcResult stream) {
        String text;
        try {
            text = stream.getResponse().getContentAsString();
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
        List<Event> events = new ArrayList<>();
        String[] blocks = text.split("\n\n", -1);
        for (int i = 0; i < blocks.length - 1; i++) { // the last block is incomplete or empty
            String id = null, name = null;
            StringBuilder data = new StringBuilder();
            for (String line : blocks[i].split("\n")) {
                if (line.startsWith("id:")) id = line.substring(3).trim();
                else if (line.startsWith("event:")) name = line.substring(6).trim();
                else if (line.startsWith("data:")) data.append(line.substring(5));
            }
            if (name != null) events.add(new Event(id, name, data.toString()));
        }
        return events;
    }
}
