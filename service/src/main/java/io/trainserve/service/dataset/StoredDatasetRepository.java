package io.trainserve.service.dataset;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

interface StoredDatasetRepository extends JpaRepository<StoredDataset, String> {
    List<StoredDataset> findAllByOrderByCreatedAtDesc();
}
