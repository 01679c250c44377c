package io.trainserve.service.dataset;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface StoredDatasetRepository extends JpaRepository<StoredDataset, String> {
    List<StoredDataset> findAllByOrderByCreatedAtDesc();

    /** Fills in the description of a dataset stored before descriptions existed (the data itself never changes). */
    @Modifying
    @Query("update StoredDataset d set d.descriptionJson = :json where d.id = :id and d.descriptionJson is null")
    int describe(@Param("id") String id, @Param("json") String json);
}
