package dev.mhc.testing;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh NDManager (and inference parameter store) per test, closed after it. */
public abstract class ManagedTest {

    protected NDManager manager;
    protected ParameterStore ps;

    @BeforeEach
    protected void openManager() {
        manager = NDManager.newBaseManager();
        ps = new ParameterStore(manager, false);
    }

    @AfterEach
    protected void closeManager() {
        manager.close();
    }
}
