package io.trainserve.service.sweep;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface SweepRepository extends JpaRepository<Sweep, String> {
    @Query("select s.id from Sweep s where s.status = io.trainserve.service.sweep.SweepStatus.RUNNING order by s.createdAt")
    List<String> runningIds();

    List<Sweep> findAllByOrderByCreatedAtDesc();

    /** The sweep, row-locked until the transaction ends: instances stepping it at once take turns (the later one sees the result). */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select s from Sweep s where s.id = :id")
    Optional<Sweep> lockById(@Param("id") String id);
}
