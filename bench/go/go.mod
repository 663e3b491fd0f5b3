module kitbench

go 1.19
