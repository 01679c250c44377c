package io.trainserve.service.registry;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface ModelRepository extends JpaRepository<ModelEntity, String> {
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select m from ModelEntity m where m.id = :id")
    Optional<ModelEntity> lockById(String id);

    List<ModelEntity> findAllByOrderByIdAsc();
}
