package io.trainserve.service.sweep;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface SweepRepository extends JpaRepository<Sweep, String> {
    @Query("select s.id from Sweep s where s.status = io.trainserve.service.sweep.SweepStatus.RUNNING order by s.createdAt")
    List<String> runningIds();

    List<Sweep> findAllByOrderByCreatedAtDesc();
}
