"""Pages of the operations context: resident reports (随身拍), the 12345 hotline entry form, staff pages."""
