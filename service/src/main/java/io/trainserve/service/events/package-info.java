/**
 * Live view: job events as Server-Sent Events, read from what the database says (the job row and its
 * epoch rows), so a watcher on one instance sees a job trained on another. One shared poller per
 * instance reads each watched job once per tick and fans the news out to every watcher of it;
 * no thread is held per watcher ({@link org.springframework.web.servlet.mvc.method.annotation.SseEmitter}
 * over an async request).
 */
package io.trainserve.service.events;
